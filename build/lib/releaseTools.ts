// What the release script needs from src/, bundled on the fly by loadReleaseTools(): the
// manifest code the nodes themselves verify with, and the engine versions of the app.

import { apiEngine } from "../../src/api";
import * as engines from "../../src/engines";

// The host contract and binary-layer digest the app bundle is built against (stamped into
// this bundle by loadReleaseTools from the same tree), for the manifest's app artifact.
export { BINARY_LAYER, HOST_API_VERSION } from "../../src/boot";
// SHA256SUMS's rules (which files, its format, the signature's one encoding, the check
// installers make), shared with `anode release sums` and `anode release verify`.
export {
  checkSums,
  releaseFiles,
  sumsSignatureText,
  sumsText,
} from "../../src/cli";
// The installers' generated blocks, to stamp a release's keys into its install.sh.
export { spliceBlock } from "../../src/service";
export {
  canonicalJson,
  describeArtifact,
  generateSigningKey,
  parseSignedManifest,
  parseSigningKey,
  parseTrustedKeys,
  sha256Hex,
  signBytes,
  signManifest,
  trustedKeyOf,
  verifyManifest,
} from "../../src/upgrade/manifest";

/** Engine name to module version for every engine module the app bundle contains. */
export function engineVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const value of [...Object.values(engines), apiEngine]) {
    const m = value as { name?: unknown; version?: unknown; init?: unknown };
    if (
      typeof m.name === "string" &&
      typeof m.version === "string" &&
      typeof m.init === "function"
    ) {
      versions[m.name] = m.version;
    }
  }
  return versions;
}
