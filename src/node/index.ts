export { AnodeNode, type NodeModules } from "./anodeNode";
export { type Recovery, recover } from "./recover";
