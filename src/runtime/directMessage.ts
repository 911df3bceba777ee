/**
 * A message between engines of two nodes, as the router hands it to the p2p link and
 * takes it back: the runtime's distribution format (the link only frames it).
 */
export interface DirectMessage {
  kind: "call" | "cast" | "send" | "reply";
  /** Target engine (call, cast, send). */
  to?: string;
  /** Sending engine, when it wants replies or context. */
  from?: string;
  /** Pairs a reply with its call. */
  callId?: number;
  ok?: boolean;
  body?: unknown;
  error?: { code: string; message: string };
}
