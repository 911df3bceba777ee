import { type TrustSummary, trustSummary } from "../../boot";
import { MAX_REPORTED_EVENTS } from "../../upgrade";
import type { Reported, UpgradeEngineState } from "./upgradeTypes";

/** Keeps the newest refusals and alerts for `upgrade status`. */
export function report(list: Reported[], entry: Reported): void {
  list.push(entry);
  if (list.length > MAX_REPORTED_EVENTS) list.splice(0, list.length - MAX_REPORTED_EVENTS);
}

/** What `GET /v1/upgrade/status` and `anode upgrade status` show. */
export function statusOf(
  state: UpgradeEngineState,
  appState: { current?: string; lastGood?: string; bad: Record<string, string> },
) {
  const now = Date.now();
  return {
    running: state.running,
    binary: state.args.boot?.binaryVersion ?? state.running,
    // During a trial, boot would still start the previous release.
    current: appState.current ?? state.trial?.previous ?? state.running,
    lastGood: appState.lastGood ?? state.args.boot?.binaryVersion ?? state.running,
    highestAccepted: state.persisted.highestAccepted ?? state.running,
    // Boot never boots an installed release below it (only a rollback lowers it).
    bootFloor: state.persisted.bootFloor ?? null,
    // A new binary on trial: boot restores `.old` if this process dies before it passes.
    binaryTrial: state.binaryTrial ?? null,
    policy: state.args.options.policy,
    channel: state.args.options.channel,
    uploadBytesPerSecond: state.args.options.uploadBytesPerSecond,
    // The keys that decide which releases run, and whether config or env replaced them.
    trust: trustSummary({ keys: state.trust, source: state.trustSource }),
    bad: { ...state.persisted.bad, ...appState.bad },
    trial:
      state.trial === undefined
        ? null
        : {
            version: state.trial.version,
            previous: state.trial.previous,
            sinceMs: now - state.trial.startedAt,
          },
    releases: [...state.releases.values()].map((r) => {
      const total = r.needs.reduce((n, a) => n + a.chunks.length, 0);
      const have = r.needs.reduce((n, a) => n + (r.held.get(a.name)?.size ?? 0), 0);
      const bytesTotal = r.needs.reduce((n, a) => n + a.size, 0);
      const bytesHave = r.needs.reduce(
        (n, a) => n + Math.min(a.size, (r.held.get(a.name)?.size ?? 0) * a.chunkSize),
        0,
      );
      return {
        version: r.version,
        channel: r.signed.manifest.channel,
        status: r.status,
        ...(r.note === undefined ? {} : { note: r.note }),
        approved: r.approved,
        artifacts: r.needs.map((a) => ({ name: a.name, kind: a.kind, size: a.size })),
        chunks: { have, total },
        bytes: { have: bytesHave, total: bytesTotal },
        sources: r.sources,
        binaryWaiting: r.binaryWaiting,
      };
    }),
    peers: [...state.peers.entries()].map(([id, p]) => ({
      id,
      offences: p.standing.offences,
      banned: p.standing.bannedUntil > now,
      resting: p.standing.restingUntil > now,
    })),
    served: state.served,
    counts: state.counts ?? { swaps: 0, rollbacks: 0 },
    refusals: state.refusals,
    alerts: state.alerts,
  };
}

export type UpgradeStatus = ReturnType<typeof statusOf>;

/** How the running app came to run: what `anode status` and `/v1/status` show. */
export interface RunningApp {
  version: string;
  /** hot-swapped or rolled-back at runtime, else boot's choice: installed or embedded. */
  how: "hot-swapped" | "rolled-back" | "installed" | "embedded";
  /** One line for people: "hot-swapped at runtime from 0.2.0 at <time>, permanent". */
  why: string;
  /** In its health window: a crash or stop now boots the previous release. */
  trial: boolean;
  /** What boot chose when this process started. */
  booted: { version: string; source: "installed" | "embedded" | "source" };
  /** The release keys this app takes releases by, and whether config or env replaced them. */
  trust: TrustSummary;
}

export function runningApp(state: UpgradeEngineState): RunningApp {
  const boot = state.args.boot;
  const booted = {
    version: boot?.appVersion ?? state.running,
    source: boot?.source ?? ("source" as const),
  };
  const trial = state.trial?.version === state.running;
  const trust = trustSummary({ keys: state.trust, source: state.trustSource });
  const since = state.runningSince;
  if (since !== undefined) {
    const at = new Date(since.at).toISOString();
    const why =
      since.reason === "hot-swapped"
        ? `hot-swapped at runtime from ${since.from} at ${at}, ${trial ? "in its health window" : "permanent"}`
        : `rolled back by the operator from ${since.from} at ${at}`;
    return { version: state.running, how: since.reason, why, trial, booted, trust };
  }
  if (boot?.source === "installed") {
    const why = `booted the installed release ${boot.path ?? boot.appVersion}`;
    return { version: state.running, how: "installed", why, trial, booted, trust };
  }
  const why =
    boot === undefined
      ? "run from source (no boot layer)"
      : `booted the app embedded in binary ${boot.binaryVersion}${boot.refused.length > 0 ? `, after refusing ${boot.refused.map((r) => r.version).join(", ")}` : ""}`;
  return { version: state.running, how: "embedded", why, trial, booted, trust };
}
