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
    // A new binary on trial: boot restores `.old` if this process dies before it passes.
    binaryTrial: state.binaryTrial ?? null,
    policy: state.args.options.policy,
    channel: state.args.options.channel,
    uploadBytesPerSecond: state.args.options.uploadBytesPerSecond,
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
    refusals: state.refusals,
    alerts: state.alerts,
  };
}

export type UpgradeStatus = ReturnType<typeof statusOf>;
