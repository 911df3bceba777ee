import { HOST_API_VERSION, readAppState } from "../../boot";
import type { EngineContext } from "../../runtime";
import {
  checkRelease,
  manifestDigest,
  type ReleaseContext,
  writeUpgradeState,
} from "../../upgrade";
import {
  canonicalJson,
  compareVersions,
  parseSignedManifest,
  type SignedManifest,
  verifyManifest,
} from "../../verify";
import { TRANSPORT } from "../names";
import { EQUIVOCATION_TOPIC } from "./messages";
import { releaseNow } from "./releaseClock";
import { report } from "./report";
import type { Release, UpgradeEngineState } from "./upgradeTypes";

export type IntakeResult =
  | { outcome: "accepted"; version: string }
  /** installed: this node already runs it (a republish is a no-op). */
  | { outcome: "duplicate"; version: string; installed?: boolean }
  | {
      outcome: "refused" | "equivocation";
      version?: string | undefined;
      code: string;
      reason: string;
    };

/** Everything checkRelease needs, from memory and boot's app state. */
export function releaseContext(state: UpgradeEngineState): ReleaseContext {
  const { persisted, args } = state;
  let bootBad: Record<string, string> = {};
  try {
    bootBad = readAppState(args.dataDir).bad;
  } catch {
    // A malformed app state: boot reports it; the engine's own list still applies.
  }
  const highest = persisted.highestAccepted;
  return {
    trust: state.trust,
    now: releaseNow(state),
    platform: args.platform,
    channel: args.options.channel,
    highestAccepted:
      highest !== undefined && compareVersions(highest, state.running) > 0
        ? highest
        : state.running,
    known: persisted.known,
    bad: { ...bootBad, ...persisted.bad },
    hostApi: HOST_API_VERSION,
    binaryReplaceable: args.binary.path !== undefined && args.binary.owner === undefined,
  };
}

/**
 * Takes a manifest from gossip or from the operator: decides with checkRelease, then
 * records an accepted release (persisted before anything is fetched, so a replay after
 * a restart is still refused) or reports why not.
 */
export async function intake(
  state: UpgradeEngineState,
  ctx: EngineContext,
  input: unknown,
  from: string,
): Promise<IntakeResult> {
  const decision = checkRelease(input, releaseContext(state));
  switch (decision.kind) {
    case "duplicate": {
      const version = decision.version;
      const held = state.releases.get(version);
      if (held === undefined && compareVersions(version, state.running) > 0) {
        // Accepted once, but its staged copy is gone and it does not run: take it again,
        // so a republish repairs a node instead of being ignored.
        const signed = parseSignedManifest(input);
        const again = checkRelease(signed, {
          ...releaseContext(state),
          known: {},
          highestAccepted: state.running,
          resuming: true,
        });
        if (again.kind === "accept") {
          await state.store.saveManifest(signed);
          state.releases.set(
            version,
            await newRelease(state, signed, again.digest, again.artifacts, again.binaryWaiting),
          );
          ctx.log.info("release staged again", { version, from });
          return { outcome: "accepted", version };
        }
      }
      // The same manifest again: gossip echo, or a republish of what this node runs.
      const installed = version === state.running;
      return { outcome: "duplicate", version, ...(installed ? { installed } : {}) };
    }
    case "refuse": {
      report(state.refusals, {
        at: Date.now(),
        version: decision.version,
        code: decision.code,
        reason: `${decision.reason} (from ${from})`,
      });
      ctx.log.warn("release refused", { version: decision.version, code: decision.code, from });
      return {
        outcome: "refused",
        version: decision.version,
        code: decision.code,
        reason: decision.reason,
      };
    }
    case "equivocation": {
      const known = state.releases.get(decision.signed.manifest.version)?.text;
      const text = canonicalJson(decision.signed);
      const first = await equivocated(state, ctx, decision.signed.manifest.version, from);
      if (first && known !== undefined) {
        ctx.cast(
          { engine: TRANSPORT },
          { type: "publish", topic: EQUIVOCATION_TOPIC, body: { a: known, b: text } },
        );
      }
      const reason = `Cannot accept release ${decision.signed.manifest.version}: two different validly signed manifests exist for it (equivocation); both refused`;
      return {
        outcome: "equivocation",
        version: decision.signed.manifest.version,
        code: "EQUIVOCATION",
        reason,
      };
    }
    case "accept": {
      const { signed, digest } = decision;
      const version = signed.manifest.version;
      state.persisted.known[version] = digest;
      state.persisted.highestAccepted = version;
      writeUpgradeState(state.args.dataDir, state.persisted);
      await state.store.saveManifest(signed);
      state.releases.set(
        version,
        await newRelease(state, signed, digest, decision.artifacts, decision.binaryWaiting),
      );
      ctx.log.info("release accepted", { version, signers: decision.signers, from });
      return { outcome: "accepted", version };
    }
  }
}

export async function newRelease(
  state: UpgradeEngineState,
  signed: SignedManifest,
  digest: string,
  needs: Release["needs"],
  binaryWaiting: boolean,
): Promise<Release> {
  const version = signed.manifest.version;
  const held = new Map<string, Set<number>>();
  for (const a of signed.manifest.artifacts) {
    held.set(a.name, new Set(await state.store.held(version, a.name)));
  }
  return {
    version,
    signed,
    text: canonicalJson(signed),
    digest,
    needs,
    held,
    sources: {},
    status: "fetching",
    approved: false,
    receivedAt: Date.now(),
    binaryWaiting,
  };
}

/**
 * Two validly signed manifests for one version: the signing key or the release process
 * is compromised, and nobody can say which one is real. Both are refused for good, the
 * staged bytes are dropped, and the operator is alerted.
 */
export async function equivocated(
  state: UpgradeEngineState,
  ctx: EngineContext,
  version: string,
  from: string,
): Promise<boolean> {
  const reason = "equivocation: two different validly signed manifests for this version";
  const first = state.persisted.bad[version] === undefined;
  state.persisted.bad[version] = reason;
  writeUpgradeState(state.args.dataDir, state.persisted);
  const release = state.releases.get(version);
  if (release !== undefined && release.status !== "applied" && release.status !== "trial") {
    state.releases.delete(version);
    await state.store.remove(version);
  } else if (release !== undefined) {
    release.note = reason;
  }
  if (state.trial?.version === version) ctx.info({ type: "healthCheck", version, failed: reason });
  if (first) {
    report(state.alerts, {
      at: Date.now(),
      version,
      code: "EQUIVOCATION",
      reason: `${reason} (seen via ${from})`,
    });
    ctx.log.error("release equivocation: both manifests refused", { version, from });
    state.args.broker.publish({
      topic: "upgrade.alert",
      body: { version, code: "EQUIVOCATION", reason },
      time: Date.now(),
    });
  }
  return first;
}

/** A gossiped proof: both manifests must verify and differ, or it proves nothing. */
export async function checkProof(
  state: UpgradeEngineState,
  ctx: EngineContext,
  body: unknown,
  from: string,
): Promise<void> {
  const { a, b } = (body ?? {}) as { a?: unknown; b?: unknown };
  try {
    const ma = parseSignedManifest(a);
    const mb = parseSignedManifest(b);
    const now = { now: releaseNow(state) };
    verifyManifest(ma.manifest, ma.signatures, state.trust, now);
    verifyManifest(mb.manifest, mb.signatures, state.trust, now);
    if (ma.manifest.version !== mb.manifest.version) return;
    if (manifestDigest(ma.manifest) === manifestDigest(mb.manifest)) return;
    await equivocated(state, ctx, ma.manifest.version, from);
  } catch {
    ctx.log.warn("equivocation proof did not verify", { from });
  }
}

/** Parses gossip text into a manifest value for checkRelease (which re-parses strictly). */
export function gossipManifest(body: unknown): unknown {
  const signed = (body as { signed?: unknown } | null)?.signed;
  return typeof signed === "string" ? signed : undefined;
}
