/**
 * Every reason the p2p layer closes a connection, with the websocket close code it sends.
 * Codes 4000-4999 are reserved for applications by RFC 6455; each failure has its own so
 * that the far side (and an operator reading its log) can tell them apart. The key is the
 * stable label used in counters and metrics.
 */
export const CLOSE_REASONS = {
  node_stopping: { code: 1001, reason: "node stopping" },
  wrong_network: { code: 4001, reason: "wrong network id" },
  wrong_protocol: { code: 4002, reason: "unsupported protocol version" },
  bad_identity: { code: 4003, reason: "node id does not match public key" },
  unexpected_peer: { code: 4004, reason: "unexpected node id" },
  self_connection: { code: 4005, reason: "connected to self" },
  bad_signature: { code: 4006, reason: "bad handshake signature" },
  handshake_timeout: { code: 4007, reason: "handshake timeout" },
  not_authenticated: { code: 4008, reason: "frame before authentication" },
  malformed_frame: { code: 4009, reason: "malformed frame" },
  invalid_frame: { code: 4010, reason: "invalid frame" },
  frame_too_large: { code: 4011, reason: "frame too large" },
  rate_limited: { code: 4012, reason: "rate limit exceeded" },
  duplicate_connection: { code: 4013, reason: "duplicate connection" },
  peer_timeout: { code: 4014, reason: "peer silent" },
  too_many_peers: { code: 4015, reason: "too many connections" },
  protocol_violation: { code: 4016, reason: "protocol violation" },
  invalid_gossip: { code: 4017, reason: "gossip failed validation" },
  /** A frame after the hellos that is not the next sealed frame under the link's keys. */
  frame_auth_failed: { code: 4018, reason: "frame failed authentication" },
  /** An ephemeral key no shared secret can come from (malformed or of low order). */
  bad_key_exchange: { code: 4019, reason: "bad ephemeral key" },
} as const;

export type CloseReasonKey = keyof typeof CLOSE_REASONS;

/** ws closes with 1009 itself when a frame exceeds maxPayload, before we can see it. */
export const WS_MESSAGE_TOO_BIG = 1009;
/** Abnormal closure: the connection dropped or could not be established. */
export const WS_ABNORMAL_CLOSURE = 1006;
