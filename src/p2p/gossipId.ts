import { createHash } from "node:crypto";
import { MESSAGE_ID_BYTES } from "./frameLimits";

/**
 * A gossip message's id: the first 16 bytes of sha256(origin ‖ 0 ‖ seq as u64 ‖ topic).
 * It names the message, not its body: unique per (publisher, sequence number), and cheap
 * to recheck on every hop so a peer cannot forge ids that collide with real ones.
 */
export function gossipId(origin: string, seq: number, topic: string): Uint8Array {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  return new Uint8Array(
    createHash("sha256")
      .update(origin)
      .update(Buffer.of(0))
      .update(seqBytes)
      .update(topic)
      .digest()
      .subarray(0, MESSAGE_ID_BYTES),
  );
}
