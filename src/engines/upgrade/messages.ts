/** Registered name of the upgrade engine (other nodes call it for chunks). */
export const UPGRADE = "upgrade";

/** Gossip topic carrying signed release manifests: `{ signed: "<canonical JSON>" }`. */
export const RELEASE_TOPIC = "upgrade.release";
/** Gossip topic carrying proof of equivocation: two signed manifests for one version. */
export const EQUIVOCATION_TOPIC = "upgrade.equivocation";

/**
 * Marks a call as the local operator's (the control API's). Remote calls arrive as
 * decoded MessagePack, which can never hold a symbol, so only code in this process can
 * publish, apply or roll back; peers reach only `have` and `chunk`. A registered symbol,
 * so the API and this engine agree even when one of them has been hot-swapped.
 */
export const OPERATOR = Symbol.for("anode.upgrade.operator");

/** What peers may ask. */
export type PeerCall =
  | { type: "have"; version: string }
  /** The newest release this node holds, so a node that was away hears of it. */
  | { type: "latest" }
  | {
      type: "chunk";
      version: string;
      artifact: string;
      index: number;
      offset: number;
      length: number;
    };

/** What the local operator may ask, through the control API. */
export type OperatorCall =
  | { type: "status"; op: typeof OPERATOR }
  | { type: "publish"; op: typeof OPERATOR; signed: string }
  | { type: "storeArtifact"; op: typeof OPERATOR; version: string; name: string; bytes: Uint8Array }
  | { type: "announce"; op: typeof OPERATOR; version: string }
  | { type: "apply"; op: typeof OPERATOR; version?: string }
  | { type: "rollback"; op: typeof OPERATOR }
  /** Lifts an operator's rollback of `version`, so it can be applied again. */
  | { type: "unblock"; op: typeof OPERATOR; version: string }
  /** Which app version runs in this process and why, for `anode status`. */
  | { type: "running"; op: typeof OPERATOR };

export type UpgradeCall = PeerCall | OperatorCall;

/** A peer's answer to `have`: chunk indexes held, per artifact name. */
export interface HaveReply {
  version: string;
  artifacts: Record<string, number[]>;
}
