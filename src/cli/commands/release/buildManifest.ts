import { basename } from "node:path";
import {
  type Activation,
  type Artifact,
  type Channel,
  describeArtifact,
  type Instruction,
  type Platform,
  type ReleaseManifest,
} from "../../../upgrade";

export interface ArtifactInput {
  file: string;
  bytes: Uint8Array;
  kind: "app" | "binary";
  platform?: Platform;
  /** For an app bundle: its host contract and engine versions. */
  app?: { hostApi: number; binaryLayer?: string | undefined; engines: Record<string, string> };
}

/** A release manifest from artifact bytes; pure, so `release sign` is easy to test. */
export function buildManifest(o: {
  version: string;
  channel: Channel;
  now: number;
  expiresInMs: number;
  chunkSize: number;
  artifacts: ArtifactInput[];
  /** Per-engine instructions for the app artifact (swap, restart, binary). */
  instructions?: Record<string, Instruction>;
  activate?: Activation;
}): ReleaseManifest {
  const artifacts = o.artifacts.map((a): Artifact => {
    const digest = describeArtifact(a.bytes, o.chunkSize);
    const name = basename(a.file);
    if (a.kind === "app") {
      return {
        kind: "app",
        platform: "any",
        name,
        hostApi: a.app?.hostApi ?? 1,
        ...(a.app?.binaryLayer !== undefined ? { binaryLayer: a.app.binaryLayer } : {}),
        engines: a.app?.engines ?? {},
        ...(o.instructions !== undefined ? { instructions: o.instructions } : {}),
        ...digest,
      };
    }
    return { kind: "binary", platform: a.platform as Platform, name, ...digest };
  });
  return {
    format: 1,
    product: "anode",
    version: o.version,
    channel: o.channel,
    createdAt: new Date(o.now).toISOString(),
    expiresAt: new Date(o.now + o.expiresInMs).toISOString(),
    artifacts,
    ...(o.activate !== undefined ? { activate: o.activate } : {}),
  };
}
