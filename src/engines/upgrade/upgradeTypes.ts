import type { BootInfo, TrustSource } from "../../boot";
import type { UpgradeOptions } from "../../config";
import type { AnyEngineModule, BrokerClient } from "../../runtime";
import type {
  Artifact,
  ChunkStore,
  Platform,
  SignedManifest,
  Standing,
  SwapRecord,
  SwapTable,
  TrustedKeys,
  UpgradeState,
} from "../../upgrade";
import type { ProcessMemo } from "./processMemo";

/** What the upgrade engine needs from the node; tests pass plain objects. */
export interface UpgradeArgs {
  options: UpgradeOptions;
  dataDir: string;
  nodeId: string;
  /** The node's module table: what a release swaps, and checks during a health window. */
  modules: SwapTable;
  broker: BrokerClient;
  /**
   * The keys boot verified with (`boot.trust` says where from); without boot's word,
   * `options.trustedKeys` replaces them (see engineTrust).
   */
  compiledTrust?: TrustedKeys | undefined;
  /** Which app boot chose; absent when run from source. */
  boot?: BootInfo | undefined;
  /** The LevelDB class, handed on to a newly evaluated bundle. */
  Level?: unknown;
  platform: Platform;
  /**
   * The executable a binary release replaces, and who owns it. `privileged`: the node may
   * not write its folder, and a root pre-start step verifies and swaps what it stages.
   */
  binary: { path: string | undefined; owner: string | undefined; privileged?: boolean };
  /** Ends the process with a code (a binary release restarts with 75). */
  exit(code: number): void;
  /** Added to the clock release timestamps are judged by (see releaseClock.ts); >= 0. */
  clockOffsetMs?: number | undefined;
  /** Outlives this engine's restarts within the process (see processMemo). */
  memo?: ProcessMemo;
  /** Crash tests only: stop applying a binary release after this step. */
  pauseAt?: "staged" | "renamed" | undefined;
}

export type ReleaseStatus =
  | "fetching"
  | "verified"
  | "applying"
  | "trial"
  | "applied"
  | "failed"
  | "waiting"
  | "restarting";

export interface Release {
  version: string;
  signed: SignedManifest;
  /** The canonical text, as gossiped and stored. */
  text: string;
  digest: string;
  /** What this node fetches and applies (the app bundle, its platform's binary). */
  needs: Artifact[];
  /** Chunk indexes held, per artifact name (any artifact, so the publisher serves all). */
  held: Map<string, Set<number>>;
  /** Chunks fetched, per peer that sent them ("self" for the publisher's upload). */
  sources: Record<string, number>;
  status: ReleaseStatus;
  approved: boolean;
  receivedAt: number;
  /** Why it waits or failed, for `upgrade status`. */
  note?: string;
  binaryWaiting: boolean;
  /** Its chain stands at its activation height, waiting for it (see activationDue). */
  activationDue?: boolean;
}

export interface PeerView {
  standing: Standing;
  /** Per version, the chunk keys (`artifact/index`) the peer said it holds. */
  haves: Map<string, Set<string>>;
}

export interface Trial {
  version: string;
  previous: string;
  records: SwapRecord[];
  startedAt: number;
  cancel: () => void;
}

export interface Reported {
  at: number;
  version?: string | undefined;
  code: string;
  reason: string;
}

export interface DeferredServe {
  from: { callId: number };
  bytes: number;
  run: () => Promise<unknown>;
  /** A later piece of a chunk whose first piece was served. */
  continuation: boolean;
}

export interface UpgradeEngineState {
  args: UpgradeArgs;
  trust: TrustedKeys;
  /** Where `trust` came from, for `upgrade status`. */
  trustSource: TrustSource;
  store: ChunkStore;
  /** The app version running in this process now. */
  running: string;
  /**
   * How `running` came to run when it is not what boot chose: swapped in at runtime, or
   * put back by a rollback (from: the version it replaced). Absent: boot's choice runs.
   */
  runningSince?: { reason: "hot-swapped" | "rolled-back"; at: number; from: string } | undefined;
  persisted: UpgradeState;
  releases: Map<string, Release>;
  peers: Map<string, PeerView>;
  inFlight: Map<string, { peer: string; version: string; started: number }>;
  /** Per peer, when its fetch budget frees up (see pacePeer). */
  pacing: Map<string, number>;
  lastHavePoll: number;
  ticking: boolean;
  upload: {
    tokens: number;
    last: number;
    queue: DeferredServe[];
    draining: boolean;
    /** The rest of each chunk whose first piece was admitted, until asked or expired. */
    reserved: Array<{ chunk: string; bytes: number; until: number }>;
  };
  served: { bytes: number; pieces: number };
  /** Hot swaps applied and rolled back by this engine since start (1.1.0; absent before). */
  counts?: { swaps: number; rollbacks: number };
  refusals: Reported[];
  alerts: Reported[];
  trial?: Trial | undefined;
  /** Modules that ran before the last permanent release, for `upgrade rollback`. */
  rollback?: { version: string; modules: Record<string, AnyEngineModule> } | undefined;
  applying: boolean;
  /** The binary version on trial in this process, until its health window passes. */
  binaryTrial?: string | undefined;
}
