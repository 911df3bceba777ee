export { AnodeNode, type NodeModules } from "./anodeNode";
export { engineModules } from "./engineModules";
export { type Recovery, recover } from "./recover";
