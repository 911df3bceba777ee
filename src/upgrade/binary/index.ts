// The binary swap on its own, so the boot layer can restore `.old` without loading the
// rest of src/upgrade (the swarm fetch, the hot swap).
export { binaryPaths, restoreBinary, stageBinary, swapBinary } from "./binarySwap";
export { type PackageOwner, packageOwner } from "./packageOwner";
export { platformOf } from "./platformOf";
