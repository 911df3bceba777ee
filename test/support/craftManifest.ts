import { BINARY_LAYER, HOST_API_VERSION } from "../../src/boot";
import {
  decodeBase64,
  describeArtifact,
  encodeBase64,
  type ManifestSignature,
  type ReleaseManifest,
} from "../../src/upgrade";
import { tinyAppBundle } from "./tinyRelease";

const DAY = 86_400_000;
/** The order of ed25519's base point: S + L verifies like S in tweetnacl. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/**
 * An unsigned app-release manifest for attack tests: created a minute ago, valid for 30
 * days, one tiny app bundle; `over` breaks whichever rule the test is about.
 */
export function craftManifest(
  version: string,
  over: Partial<ReleaseManifest> = {},
): ReleaseManifest {
  const now = Date.now();
  return {
    format: 1,
    product: "anode",
    version,
    channel: "stable",
    createdAt: new Date(now - 60_000).toISOString(),
    expiresAt: new Date(now + 30 * DAY).toISOString(),
    artifacts: [
      {
        kind: "app",
        platform: "any",
        name: `anode-app-${version}.cjs`,
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
        ...describeArtifact(tinyAppBundle(version), 16 * 1024),
      },
    ],
    ...over,
  };
}

/** The signature with S (bytes 32..63, little-endian) replaced by S + L: a second spelling tweetnacl accepts. */
export function nonCanonical(s: ManifestSignature): ManifestSignature {
  const bytes = decodeBase64(s.signature) as Uint8Array;
  let v = 0n;
  for (let i = 63; i >= 32; i--) v = (v << 8n) | BigInt(bytes[i] as number);
  v += L;
  for (let i = 32; i < 64; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return { keyId: s.keyId, signature: encodeBase64(bytes) };
}
