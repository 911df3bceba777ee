import type { Logger } from "../logging";
import type { CloseReasonKey } from "./closeCodes";
import type { Clock, P2PEvents } from "./contract";
import type { P2POptions } from "./p2pOptions";
import type { P2PStats } from "./p2pStats";
import type { PeerLink } from "./peerLink";

/** What every part of a P2PNode shares: its identity, options, time, log and counters. */
export interface P2PContext {
  readonly id: string;
  readonly options: P2POptions;
  readonly clock: Clock;
  readonly log: Logger;
  readonly counters: P2PStats;
  readonly events: P2PEvents;
  /** Runs an application callback; its exceptions are its own and must not break ours. */
  emit(callback: () => void): void;
}

/** What gossip and direct messages need from the links they travel on. */
export interface LinkWriter {
  /** Queues one frame on an authenticated link, counted. */
  write(link: PeerLink, bytes: Uint8Array): void;
  /** Closes a connection because of what the peer did: counted, logged, reported. */
  reject(link: PeerLink, key: CloseReasonKey, detail?: string): void;
}
