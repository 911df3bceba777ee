// What test/cross/run.mjs needs from src/, bundled on the fly (it is plain JavaScript so
// it runs outside vitest, for minutes, under wine and qemu).
export { appLayout, BINARY_LAYER, HOST_API_VERSION, installAppBundle } from "../../src/boot";
export {
  describeArtifact,
  generateSigningKey,
  signManifest,
  trustedKeyOf,
} from "../../src/upgrade";
