import { canonicalJson } from "./canonicalJson";
import type { ReleaseManifest } from "./releaseManifest";

// A domain prefix, so a manifest signature can never pass for a signature over any other
// message the same key signs (SHA256SUMS, a future message type).
const DOMAIN = "anode release manifest v1\n";

/** The exact bytes a manifest signature covers. */
export function signingBytes(manifest: ReleaseManifest): Uint8Array {
  return new Uint8Array(Buffer.from(DOMAIN + canonicalJson(manifest), "utf8"));
}
