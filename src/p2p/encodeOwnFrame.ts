import { encodeFrame } from "./encodeFrame";
import { MAX_TOPIC_LENGTH } from "./frameLimits";
import { framePayload } from "./framePayload";
import type { GossipFrame, MsgFrame } from "./frameTypes";
import { P2PError } from "./p2pError";
import { SchemaViolation, validateFrame } from "./validateFrame";

/**
 * Encodes a frame built from caller data, checking it as strictly as a peer would: what
 * no peer could accept is a bug of the caller (P2P_INVALID_ARGUMENT), not a network event.
 */
export function encodeOwnFrame(frame: MsgFrame | GossipFrame, action: string): Uint8Array {
  if (frame.type === "gossip" && frame.topic.length > MAX_TOPIC_LENGTH) {
    throw new P2PError(
      { code: "P2P_INVALID_ARGUMENT", argument: "topic" },
      `Cannot ${action}: topic longer than ${MAX_TOPIC_LENGTH}`,
    );
  }
  try {
    validateFrame(frame.type, framePayload(frame));
  } catch (err) {
    if (!(err instanceof SchemaViolation)) throw err;
    throw new P2PError(
      { code: "P2P_INVALID_ARGUMENT", argument: frame.type },
      `Cannot ${action}: ${err.message}`,
    );
  }
  return encodeFrame(frame);
}
