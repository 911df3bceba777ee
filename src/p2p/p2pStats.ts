import type { CloseReasonKey } from "./closeCodes";

/** Counters of one P2PNode since it was created. */
export interface P2PStats {
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Connections we closed because of the peer, by reason (see CLOSE_REASONS). */
  rejected: Partial<Record<CloseReasonKey, number>>;
  /** Second connections to an already connected peer, closed by the tie-break. */
  duplicateConnections: number;
  direct: { sent: number; received: number; dropped: number };
  gossip: {
    published: number;
    /** Distinct messages from others handed to onGossip. */
    delivered: number;
    /** Copies of messages already seen. */
    duplicates: number;
    /** Frames sent on to peers (publishing and relaying). */
    forwarded: number;
    /** Frames not sent because the peer's connection was over the high-water mark. */
    dropped: number;
    /** Frames carrying a message body that came in (delivered, duplicate or refused). */
    received: number;
    /** Messages sent in answer to an IWANT (also counted in forwarded). */
    served: number;
    /** Publications of a body already published, re-announced under its first id. */
    reannounced: number;
  };
  /** Mesh control traffic: frames, and the entries they carried, by kind. */
  control: {
    framesSent: number;
    framesReceived: number;
    ihave: number;
    iwant: number;
    graft: number;
    prune: number;
    choke: number;
    unchoke: number;
    /** Frames ignored because their sender scored below a threshold. */
    ignored: number;
  };
  /** Peers in this node's topic meshes now (a peer in two meshes counts twice). */
  meshPeers: number;
  /** Peer exchange. */
  pex: {
    requests: number;
    recordsReceived: number;
    recordsRefused: number;
    dials: number;
    known: number;
  };
  /** Messages on validated topics, by what became of them. */
  validation: {
    /** Delivered and awaiting the subscriber's verdict now. */
    pending: number;
    accepted: number;
    rejected: number;
    ignored: number;
    /** No verdict within validationTimeoutMs: dropped. */
    timedOut: number;
    /** Dropped undelivered because maxPendingValidations were already held. */
    overflow: number;
  };
  peers: number;
  pendingHandshakes: number;
}

export function emptyStats(): P2PStats {
  return {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    rejected: {},
    duplicateConnections: 0,
    direct: { sent: 0, received: 0, dropped: 0 },
    gossip: {
      published: 0,
      delivered: 0,
      duplicates: 0,
      forwarded: 0,
      dropped: 0,
      received: 0,
      served: 0,
      reannounced: 0,
    },
    control: {
      framesSent: 0,
      framesReceived: 0,
      ihave: 0,
      iwant: 0,
      graft: 0,
      prune: 0,
      choke: 0,
      unchoke: 0,
      ignored: 0,
    },
    meshPeers: 0,
    pex: { requests: 0, recordsReceived: 0, recordsRefused: 0, dials: 0, known: 0 },
    validation: { pending: 0, accepted: 0, rejected: 0, ignored: 0, timedOut: 0, overflow: 0 },
    peers: 0,
    pendingHandshakes: 0,
  };
}
