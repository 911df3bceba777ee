// The binary swap is boot's (root's pre-start step runs it from the binary layer); the
// upgrade engine stages binaries with the same code, re-exported here.
export {
  BINARY_SWAP_ENV,
  binaryPaths,
  checkStagedBinary,
  DPKG_QUERY_TIMEOUT_MS,
  dpkgPackageOf,
  type PackageOwner,
  packageOwner,
  parseDpkgQueryOwner,
  platformOf,
  readUntrustedFile,
  removeStagedBinary,
  restoreBinary,
  type StagedBinaryCheck,
  stageBinary,
  stagedBinaryPaths,
  swapBinary,
  writeStagedBinary,
} from "../../boot";
