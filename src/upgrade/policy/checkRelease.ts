import { BINARY_LAYER } from "../../boot";
import { MAX_RELEASE_BYTES } from "../limits";
import {
  type Artifact,
  binaryLayerProblem,
  compareVersions,
  isExpired,
  lifetimeProblem,
  MAX_CLOCK_SKEW_MS,
  ManifestError,
  type Platform,
  parseSignedManifest,
  type SignedManifest,
  type TrustedKeys,
  verifyManifest,
} from "../manifest";
import type { RefusalCode } from "../upgradeError";
import { manifestDigest } from "./manifestDigest";

/** What a node knows when a manifest arrives; everything the decision depends on. */
export interface ReleaseContext {
  trust: TrustedKeys;
  now: number;
  /** This node's platform, for binary artifacts. */
  platform: Platform;
  channel: "stable" | "beta";
  /** The highest version this node ever accepted (persisted); nothing at or below it is taken. */
  highestAccepted: string;
  /** Digest of each version's manifest this node accepted. */
  known: Readonly<Record<string, string>>;
  /** Versions refused for good: marked bad, or equivocated. */
  bad: Readonly<Record<string, string>>;
  /** The boot contract of this binary; an app bundle built for another cannot run. */
  hostApi: number;
  /**
   * The digest of the binary-layer sources this node's binary was built from. Defaults to
   * the one this code was built against, which boot checked is its binary's own.
   */
  binaryLayer?: string;
  /** Whether this node may replace its own binary (false when a package manager owns it). */
  binaryReplaceable: boolean;
  /**
   * True when the engine re-checks a release it accepted before a restart: judged again
   * on everything but expiry, which stops a node from accepting a release, never from
   * finishing or running one it accepted while it was valid.
   */
  resuming?: boolean;
}

export type ReleaseDecision =
  | {
      kind: "accept";
      signed: SignedManifest;
      digest: string;
      signers: string[];
      /** The artifacts this node will fetch: the app bundle and/or its platform's binary. */
      artifacts: Artifact[];
      /** A binary this node would need but may not replace (Homebrew, dpkg). */
      binaryWaiting: boolean;
    }
  | { kind: "duplicate"; version: string }
  | { kind: "equivocation"; signed: SignedManifest; digest: string; otherDigest: string }
  | { kind: "refuse"; version: string | undefined; code: RefusalCode; reason: string };

/**
 * Decides what to do with a manifest from gossip or the API, with no I/O. The order is
 * the point: shape and signatures first (nothing unsigned can cause any other effect, not
 * even an equivocation alarm), then what this node already knows, then whether the
 * release is for this node at all. Only an `accept` leads to a download.
 *
 * Expiry (and a creation time too far ahead) comes after the signatures and after "already accepted": the very manifest this
 * node accepted, republished after it expired, is a duplicate (a no-op, "already have
 * it"), not a refusal an operator or a gossiping peer would retry forever.
 */
export function checkRelease(input: unknown, ctx: ReleaseContext): ReleaseDecision {
  let signed: SignedManifest;
  let signers: string[];
  try {
    signed = parseSignedManifest(input);
    signers = verifyManifest(signed.manifest, signed.signatures, ctx.trust, {
      checkExpiry: false,
    }).signers;
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    const version = versionOf(input);
    return { kind: "refuse", version, code: err.code, reason: err.message };
  }
  const m = signed.manifest;
  const refuse = (code: RefusalCode, why: string): ReleaseDecision => ({
    kind: "refuse",
    version: m.version,
    code,
    reason: `Cannot accept release ${m.version}: ${why}`,
  });
  const digest = manifestDigest(m);
  const badReason = ctx.bad[m.version];
  const knownDigest = ctx.known[m.version];
  if (knownDigest === digest) {
    if (badReason !== undefined) return refuse("MARKED_BAD", `it is marked bad (${badReason})`);
    return { kind: "duplicate", version: m.version };
  }
  if (ctx.resuming !== true && isExpired(m, ctx.now)) {
    return refuse("MANIFEST_EXPIRED", `its manifest expired at ${m.expiresAt}`);
  }
  // Judged like expiry, only when accepting: a clock set back after a release was
  // accepted must not strand it.
  if (ctx.resuming !== true && Date.parse(m.createdAt) - ctx.now > MAX_CLOCK_SKEW_MS) {
    return refuse(
      "MANIFEST_FROM_FUTURE",
      `it was created at ${m.createdAt}, more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of this node's clock (${new Date(ctx.now).toISOString()}); check the signer's clock and this node's`,
    );
  }
  const tooLong = ctx.resuming === true ? undefined : lifetimeProblem(m);
  if (tooLong !== undefined) return refuse("MANIFEST_TOO_LONG_LIVED", tooLong);
  if (knownDigest !== undefined && knownDigest !== digest) {
    return { kind: "equivocation", signed, digest, otherDigest: knownDigest };
  }
  if (badReason !== undefined) return refuse("MARKED_BAD", `it is marked bad (${badReason})`);
  if (compareVersions(m.version, ctx.highestAccepted) <= 0) {
    return refuse(
      "NOT_NEWER",
      `it is not newer than ${ctx.highestAccepted}, the highest version this node has accepted (a replay or a downgrade)`,
    );
  }
  if (ctx.channel === "stable" && m.channel !== "stable") {
    return refuse("WRONG_CHANNEL", `it is on the ${m.channel} channel, this node follows stable`);
  }
  const app = m.artifacts.find((a) => a.kind === "app");
  const binary = m.artifacts.find((a) => a.kind === "binary" && a.platform === ctx.platform);
  if (app === undefined && binary === undefined) {
    const platforms = m.artifacts.map((a) => a.platform).join(", ");
    return refuse("WRONG_PLATFORM", `it has nothing for ${ctx.platform} (only ${platforms})`);
  }
  if (app?.kind === "app" && app.hostApi !== ctx.hostApi && binary === undefined) {
    return refuse(
      "HOST_API_MISMATCH",
      `its app bundle needs host API ${app.hostApi}, this binary has ${ctx.hostApi}, and it has no ${ctx.platform} binary`,
    );
  }
  const needsBinary = binaryLayerProblem(m, {
    platform: ctx.platform,
    binaryLayer: ctx.binaryLayer ?? BINARY_LAYER,
  });
  if (needsBinary !== undefined) {
    return {
      kind: "refuse",
      version: m.version,
      code: "NEEDS_BINARY",
      reason: `Cannot apply release ${m.version}: ${needsBinary}`,
    };
  }
  const artifacts: Artifact[] = [];
  if (app !== undefined) artifacts.push(app);
  if (binary !== undefined && ctx.binaryReplaceable) artifacts.push(binary);
  const total = artifacts.reduce((n, a) => n + a.size, 0);
  if (total > MAX_RELEASE_BYTES) {
    return refuse("TOO_LARGE", `it needs ${total} bytes, over the ${MAX_RELEASE_BYTES}-byte limit`);
  }
  if (artifacts.length === 0) {
    return refuse(
      "WRONG_PLATFORM",
      `it only has a ${ctx.platform} binary, and a package manager owns this node's binary`,
    );
  }
  return {
    kind: "accept",
    signed,
    digest,
    signers,
    artifacts,
    binaryWaiting: binary !== undefined && !ctx.binaryReplaceable,
  };
}

function versionOf(input: unknown): string | undefined {
  try {
    const v = typeof input === "string" ? JSON.parse(input) : input;
    const version = (v as { manifest?: { version?: unknown } })?.manifest?.version;
    return typeof version === "string" ? version.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}
