import { BINARY_LAYER, HOST_API_VERSION } from "../../../src/boot";
import {
  describeArtifact,
  type SignedManifest,
  type SigningKey,
  signManifest,
} from "../../../src/upgrade";

export const NOW = Date.parse("2026-03-01T00:00:00.000Z");

/** A signed manifest listing `bundle` as the app artifact of `version`. */
export function signedFor(
  bundle: Uint8Array,
  version: string,
  keys: SigningKey[],
  over: { hostApi?: number; manifestVersion?: string; expiresAt?: string } = {},
): SignedManifest {
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version: over.manifestVersion ?? version,
    channel: "stable" as const,
    createdAt: "2026-02-01T00:00:00.000Z",
    expiresAt: over.expiresAt ?? "2026-06-01T00:00:00.000Z",
    artifacts: [
      {
        kind: "app" as const,
        platform: "any" as const,
        name: "app.cjs",
        hostApi: over.hostApi ?? HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: { mempool: "1.0.0" },
        ...describeArtifact(bundle, 16 * 1024),
      },
    ],
  };
  return { manifest, signatures: keys.map((k) => signManifest(manifest, k)) };
}

export const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
