// The binary swap on its own, so the boot layer can restore `.old` without loading the
// rest of src/upgrade (the swarm fetch, the hot swap).
export { binaryPaths, restoreBinary, stageBinary, swapBinary } from "./binarySwap";
export { checkStagedBinary, type StagedBinaryCheck } from "./checkStagedBinary";
export {
  DPKG_QUERY_TIMEOUT_MS,
  dpkgPackageOf,
  type PackageOwner,
  packageOwner,
  parseDpkgQueryOwner,
} from "./packageOwner";
export { platformOf } from "./platformOf";
export {
  BINARY_SWAP_ENV,
  readUntrustedFile,
  removeStagedBinary,
  stagedBinaryPaths,
  writeStagedBinary,
} from "./stagedBinary";
