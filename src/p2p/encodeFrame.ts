import { frameLimitOf } from "./frameLimitOf";
import { framePayload } from "./framePayload";
import { FRAME_TAGS, type Frame } from "./frameTypes";
import { packr } from "./msgpack";
import { P2PError } from "./p2pError";

/**
 * The wire bytes of a frame: one tag byte, then MessagePack. Throws P2P_FRAME_TOO_LARGE
 * when the result exceeds the frame type's limit; it never sends what a peer must refuse.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  let packed: Buffer;
  try {
    packed = packr.pack(framePayload(frame));
  } catch (cause) {
    // msgpackr refuses some values (bigints beyond 64 bits, for one).
    throw new P2PError(
      { code: "P2P_INVALID_ARGUMENT", argument: frame.type },
      `Cannot encode ${frame.type} frame: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const size = packed.length + 1;
  const limit = frameLimitOf(frame.type);
  if (size > limit) {
    throw new P2PError(
      { code: "P2P_FRAME_TOO_LARGE", frameType: frame.type, size, limit },
      `Cannot encode ${frame.type} frame: ${size} bytes exceeds the limit of ${limit}`,
    );
  }
  // A fresh buffer: msgpackr reuses its output buffer, and a frame is often sent to many
  // peers after later frames were packed.
  const bytes = Buffer.allocUnsafe(size);
  bytes[0] = FRAME_TAGS[frame.type];
  packed.copy(bytes, 1);
  return bytes;
}
