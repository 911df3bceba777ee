export { hasCode, NodeError } from "./nodeError";
