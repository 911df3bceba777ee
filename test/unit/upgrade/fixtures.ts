import { BINARY_LAYER, HOST_API_VERSION } from "../../../src/boot";
import {
  describeArtifact,
  generateSigningKey,
  type ReleaseManifest,
  type SigningKey,
  type TrustedKeys,
  trustedKeyOf,
} from "../../../src/upgrade";

export const NOW = Date.parse("2026-03-01T00:00:00.000Z");

export function sampleManifest(over: Partial<ReleaseManifest> = {}): ReleaseManifest {
  const app = describeArtifact(new Uint8Array(40_000).fill(7), 16 * 1024);
  const bin = describeArtifact(new Uint8Array(20_000).fill(9), 16 * 1024);
  return {
    format: 1,
    product: "anode",
    version: "0.2.0",
    channel: "stable",
    createdAt: "2026-02-01T00:00:00.000Z",
    expiresAt: "2026-05-01T00:00:00.000Z",
    artifacts: [
      {
        kind: "app",
        platform: "any",
        name: "anode-app-0.2.0.cjs",
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: { mempool: "1.1.0", storage: "1.0.0" },
        ...app,
      },
      { kind: "binary", platform: "linux-x64", name: "anode-linux-x64", ...bin },
    ],
    ...over,
  };
}

export function keys(n: number): SigningKey[] {
  return Array.from({ length: n }, (_, i) => generateSigningKey(`key-${i}`));
}

export function trustOf(list: SigningKey[], threshold = 1): TrustedKeys {
  return { threshold, keys: list.map(trustedKeyOf) };
}
