import { canonicalJson, type ReleaseManifest, sha256Hex } from "../manifest";

/** Identifies a manifest's content: two manifests for one version with different digests equivocate. */
export function manifestDigest(manifest: ReleaseManifest): string {
  return sha256Hex(new Uint8Array(Buffer.from(canonicalJson(manifest), "utf8")));
}
