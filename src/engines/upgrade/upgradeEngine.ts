import {
  describeTrust,
  readAppState,
  readBinaryTrial,
  settleTrial,
  trustSummary,
} from "../../boot";
import { type EngineModule, isBrokerDelivery } from "../../runtime";
import {
  ChunkStore,
  checkRelease,
  compareVersions,
  manifestDigest,
  parseSignedManifest,
  readUpgradeState,
  verifyManifest,
} from "../../upgrade";
import { VERSION } from "../../version";
import { TRANSPORT } from "../names";
import { ACTIVATION_RESEND_MS, type ActivationDue, scheduleActivations } from "./activation";
import { onActivationDue } from "./activationDue";
import { binaryHealthy } from "./applyBinary";
import { applyNow, decide, healthCheck, ROLLED_BACK, raiseBootFloor } from "./applying";
import { engineTrust } from "./engineTrust";
import {
  type FetchInfo,
  isComplete,
  onFetched,
  onFetchFailed,
  onHave,
  scheduleTick,
  tick,
} from "./fetching";
import { gossipVerdict } from "./gossipVerdict";
import { checkProof, gossipManifest, intake, newRelease, releaseContext } from "./intake";
import {
  EQUIVOCATION_TOPIC,
  OPERATOR,
  type OperatorCall,
  RELEASE_TOPIC,
  UPGRADE,
  type UpgradeCall,
} from "./messages";
import { operatorCall } from "./operatorCalls";
import { liveTrial, markLiveTrial, recallProcess, rememberProcess } from "./processMemo";
import { releaseNow } from "./releaseClock";
import { drain, have, serveChunk } from "./serving";
import type { UpgradeArgs, UpgradeEngineState } from "./upgradeTypes";

type UpgradeInfo =
  | FetchInfo
  | { type: "decide"; version: string }
  | { type: "applyNow"; version: string }
  | { type: "healthCheck"; version: string; failed?: string }
  | { type: "drain" }
  | { type: "binaryHealthy" }
  | { type: "announceActivations" };

const PEER_UP = "peer.up";
const LATEST_TIMEOUT_MS = 5_000;

const subscriptions = [
  ...[RELEASE_TOPIC, EQUIVOCATION_TOPIC].map((topic) => ({
    chain: [
      { name: "topic", params: "gossip.received" },
      { name: "field", params: { path: "topic", equals: topic } },
    ],
    tag: topic,
  })),
  // A peer that (re)connects is asked for its newest release: a node that was down while
  // a release was gossiped learns of it this way instead of waiting for a republish.
  { chain: [{ name: "topic", params: PEER_UP }], tag: PEER_UP },
];

/**
 * The upgrade engine: takes signed releases from gossip and the operator, fetches their
 * chunks from every peer that has them, serves what it holds, and applies verified app
 * releases by swapping engine modules in this process. Decisions live in src/upgrade as
 * pure functions; this module wires them to the mailbox, the disk and the network.
 */
export const upgradeEngine: EngineModule<UpgradeEngineState, UpgradeArgs> = {
  name: UPGRADE,
  version: "1.1.0",
  async init(args, ctx) {
    const resolved = engineTrust(args, process.env);
    if (resolved.keys.keys.length === 0) {
      // Run from source without boot: nothing to verify against, so every release is refused.
      ctx.log.warn(
        "no trusted release keys: every release will be refused (set upgrade.trustedKeys)",
      );
    } else if (resolved.source !== "compiled") {
      // At every start: keys that decide what code this node runs must never change unseen.
      const summary = trustSummary(resolved);
      ctx.log.warn(`release keys ${describeTrust(summary)}`, { ...summary });
    }
    // A node started by hand (not through boot) still settles a crashed trial; this
    // process's own live trial (the engine restarted inside it) is not a crash.
    if (liveTrial({ args }) === undefined) settleTrial(args.dataDir);
    const state: UpgradeEngineState = {
      args,
      trust: resolved.keys,
      trustSource: resolved.source,
      store: new ChunkStore(args.dataDir),
      running: args.boot?.appVersion ?? VERSION,
      persisted: readUpgradeState(args.dataDir),
      releases: new Map(),
      peers: new Map(),
      inFlight: new Map(),
      pacing: new Map(),
      lastHavePoll: 0,
      ticking: false,
      upload: { tokens: 0, last: performance.now(), queue: [], draining: false, reserved: [] },
      served: { bytes: 0, pieces: 0 },
      refusals: [],
      alerts: [],
      applying: false,
    };
    const appState = readAppState(args.dataDir);
    for (const [version, reason] of Object.entries(appState.bad)) {
      state.persisted.bad[version] ??= reason;
    }
    // A data directory from before the boot floor existed: the release boot started as
    // the last good one is the floor from now on.
    if (
      state.persisted.bootFloor === undefined &&
      args.boot?.source === "installed" &&
      appState.lastGood === args.boot.appVersion
    ) {
      raiseBootFloor(state, args.boot.appVersion);
    }
    // Before resume, which judges staged releases against the version running.
    recallProcess(state, ctx);
    await resume(state);
    markLiveTrial(state);
    for (const s of subscriptions) {
      await args.broker.subscribe(s.chain, { address: { engine: UPGRADE }, tag: s.tag });
    }
    for (const r of state.releases.values()) {
      if (r.status === "verified") ctx.info({ type: "decide", version: r.version });
    }
    // Boot made this process the one on trial when it started the new binary.
    const binaryTrial = readBinaryTrial(args.dataDir);
    if (binaryTrial?.pid === process.pid && args.binary.path !== undefined) {
      state.binaryTrial = binaryTrial.version;
      ctx.sendAfter(args.options.healthWindowMs, { type: "binaryHealthy" });
    }
    scheduleTick(state, ctx);
    ctx.info({ type: "announceActivations" });
    return state;
  },
  /** Casts come only from this node's engines (peers may cast to the router alone). */
  async handleCast(msg, state, ctx) {
    const m = msg as Partial<ActivationDue>;
    if (
      m.type === "activationDue" &&
      typeof m.chainId === "string" &&
      typeof m.version === "string" &&
      Number.isSafeInteger(m.height) &&
      (m.passed === undefined || Number.isSafeInteger(m.passed))
    )
      await onActivationDue(state, ctx, m as ActivationDue);
    return state;
  },
  async handleCall(msg, from, state, ctx) {
    const m = msg as UpgradeCall;
    if ((m as { op?: unknown }).op === OPERATOR) {
      // A refused request fails the caller's call, never this engine.
      try {
        return { reply: await operatorCall(state, ctx, m as OperatorCall), state };
      } catch (err) {
        ctx.replyError(from, err);
        return { noreply: true, state };
      }
    }
    switch (m.type) {
      case "have":
        return { reply: have(state, m.version), state };
      case "latest":
        return { reply: latest(state), state };
      case "chunk":
        return serveChunk(state, ctx, m, from);
      default:
        return { reply: { error: "not allowed" }, state };
    }
  },
  async handleInfo(msg, state, ctx) {
    if (isBrokerDelivery(msg)) {
      if (msg.tag === PEER_UP) {
        askLatest(ctx, (msg.event.body as { id?: unknown }).id);
        return state;
      }
      await onGossip(state, ctx, msg.tag, msg.event.body as { id?: string; origin?: string });
      return state;
    }
    const latestReply = msg as { type?: string; peer?: string; signed?: unknown };
    if (latestReply.type === "latest") {
      if (typeof latestReply.signed !== "string") return state;
      const result = await intake(
        state,
        ctx,
        latestReply.signed,
        `peer ${latestReply.peer} on reconnect`,
      );
      if (result.outcome === "accepted") scheduleTick(state, ctx, 0);
      return state;
    }
    const m = msg as UpgradeInfo;
    switch (m.type) {
      case "tick":
        await tick(state, ctx);
        break;
      case "have":
        onHave(state, m.peer, m.reply);
        break;
      case "fetched":
        await onFetched(state, ctx, m);
        break;
      case "fetchFailed":
        onFetchFailed(state, ctx, m);
        break;
      case "decide":
        decide(state, ctx, m.version);
        break;
      case "applyNow":
        await applyNow(state, ctx, m.version);
        break;
      case "healthCheck":
        await healthCheck(state, ctx, m.version, m.failed);
        break;
      case "drain":
        await drain(state, ctx);
        break;
      case "binaryHealthy":
        binaryHealthy(state, ctx);
        break;
      case "announceActivations":
        scheduleActivations(state, ctx);
        ctx.sendAfter(ACTIVATION_RESEND_MS, { type: "announceActivations" });
        break;
    }
    return state;
  },
  async terminate(_reason, state) {
    rememberProcess(state);
    try {
      await state.args.broker.unsubscribeEngine(UPGRADE);
    } catch {
      // The broker may have stopped first when the whole node goes down.
    }
  },
};

/**
 * Gossip arrives as a broker event naming the message; its body is read from transport,
 * which relays it only on this engine's verdict (see gossipVerdict), given first.
 */
async function onGossip(
  state: UpgradeEngineState,
  ctx: Parameters<NonNullable<typeof upgradeEngine.handleInfo>>[2],
  topic: string | undefined,
  event: { id?: string; origin?: string },
): Promise<void> {
  if (topic === undefined || event.id === undefined) return;
  let recent: Array<{ id: string; body: unknown; from: string }> = [];
  try {
    recent = (await ctx.call(
      { engine: TRANSPORT },
      { type: "recent", topic },
      2_000,
    )) as typeof recent;
  } catch {
    return;
  }
  const entry = recent.find((r) => r.id === event.id);
  const verdict =
    entry === undefined
      ? "ignore"
      : gossipVerdict(topic, entry.body, { trust: state.trust, now: releaseNow(state) });
  ctx.cast({ engine: TRANSPORT }, { type: "verdict", id: event.id, verdict });
  if (entry === undefined) return;
  const from = `gossip from ${entry.from} (origin ${event.origin ?? "?"})`;
  if (topic === EQUIVOCATION_TOPIC) {
    await checkProof(state, ctx, entry.body, from);
    return;
  }
  const input = gossipManifest(entry.body);
  if (input === undefined) return;
  const result = await intake(state, ctx, input, from);
  if (result.outcome === "accepted") scheduleTick(state, ctx, 0);
}

/** The canonical text of the newest release held that is not failed, or null. */
function latest(state: UpgradeEngineState): string | null {
  let best: { version: string; text: string } | undefined;
  for (const r of state.releases.values()) {
    if (r.status === "failed") continue;
    if (best === undefined || compareVersions(r.version, best.version) > 0) best = r;
  }
  return best?.text ?? null;
}

function askLatest(
  ctx: Parameters<NonNullable<typeof upgradeEngine.handleInfo>>[2],
  peer: unknown,
): void {
  if (typeof peer !== "string") return;
  ctx.call({ node: peer, engine: UPGRADE }, { type: "latest" }, LATEST_TIMEOUT_MS).then(
    (signed) => ctx.info({ type: "latest", peer, signed }),
    () => {},
  );
}

/** Picks up releases staged before a restart: re-verified, then fetched on from where they were. */
async function resume(state: UpgradeEngineState): Promise<void> {
  const ctx = releaseContext(state);
  for (const { version, text } of await state.store.manifests()) {
    try {
      const signed = parseSignedManifest(text);
      verifyManifest(signed.manifest, signed.signatures, state.trust, { checkExpiry: false });
      if (signed.manifest.version !== version) continue;
      // A rollback stays staged (shown as failed) so `upgrade unblock` can lift it later.
      const rolledBack = ctx.bad[version] === ROLLED_BACK;
      // The running release stays staged too: this node serves it to peers that missed
      // it, and a republish of it finds it ("already installed", not an error).
      const order = compareVersions(version, state.running);
      if ((ctx.bad[version] !== undefined && !rolledBack) || order < 0) {
        await state.store.remove(version);
        continue;
      }
      const digest = manifestDigest(signed.manifest);
      if (state.persisted.known[version] !== digest) continue;
      const bad = { ...ctx.bad };
      delete bad[version];
      // Accepted before the restart: an expiry since then does not stop it (see checkRelease).
      // The running release is judged as if first seen, or "not newer" than itself refuses it.
      const highestAccepted = order === 0 ? "0.0.0" : state.running;
      const decision = { ...ctx, bad, known: {}, highestAccepted, resuming: true };
      const d = checkRelease(signed, decision);
      if (d.kind !== "accept") continue;
      const release = await newRelease(state, signed, digest, d.artifacts, d.binaryWaiting);
      state.releases.set(version, release);
      if (rolledBack) {
        release.status = "failed";
        release.note = ROLLED_BACK;
      } else if (order === 0) {
        release.status = "applied";
        release.note = "installed; this node runs it";
      } else if (isComplete(release)) release.status = "verified";
    } catch {
      // Signed by a key no longer trusted, or unreadable: it stays staged but unused.
    }
  }
}
