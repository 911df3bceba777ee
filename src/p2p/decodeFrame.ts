import { frameLimitOf } from "./frameLimitOf";
import { MAX_FRAME_BYTES } from "./frameLimits";
import { FRAME_TAGS, type Frame, type FrameType } from "./frameTypes";
import { unpackr } from "./msgpack";
import { P2PError } from "./p2pError";
import { SchemaViolation, validateFrame } from "./validateFrame";

const TYPE_OF_TAG = new Map<number, FrameType>(
  Object.entries(FRAME_TAGS).map(([type, tag]) => [tag, type as FrameType]),
);

/**
 * The frame in `bytes`, checked in order of cost: total size, tag, the type's size limit,
 * MessagePack, then the exact schema. Throws a P2PError whose code says which check failed
 * (P2P_FRAME_TOO_LARGE, P2P_FRAME_UNKNOWN_TYPE, P2P_FRAME_MALFORMED, P2P_FRAME_INVALID).
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length > MAX_FRAME_BYTES) {
    throw new P2PError(
      { code: "P2P_FRAME_TOO_LARGE", frameType: "any", size: bytes.length, limit: MAX_FRAME_BYTES },
      `Cannot decode frame: ${bytes.length} bytes exceeds the limit of ${MAX_FRAME_BYTES}`,
    );
  }
  const tag = bytes[0];
  const type = tag === undefined ? undefined : TYPE_OF_TAG.get(tag);
  if (tag === undefined || type === undefined) {
    throw new P2PError(
      { code: "P2P_FRAME_UNKNOWN_TYPE", tag: tag ?? -1 },
      `Cannot decode frame: unknown frame type ${tag ?? "(empty frame)"}`,
    );
  }
  const limit = frameLimitOf(type);
  if (bytes.length > limit) {
    throw new P2PError(
      { code: "P2P_FRAME_TOO_LARGE", frameType: type, size: bytes.length, limit },
      `Cannot decode ${type} frame: ${bytes.length} bytes exceeds the limit of ${limit}`,
    );
  }
  let payload: unknown;
  try {
    payload = unpackr.unpack(bytes.subarray(1));
  } catch (cause) {
    throw new P2PError(
      { code: "P2P_FRAME_MALFORMED" },
      `Cannot decode ${type} frame: malformed MessagePack`,
      {
        cause,
      },
    );
  }
  try {
    return validateFrame(type, payload);
  } catch (err) {
    if (!(err instanceof SchemaViolation)) throw err;
    throw new P2PError(
      { code: "P2P_FRAME_INVALID", frameType: type },
      `Cannot decode ${type} frame: ${err.message}`,
    );
  }
}
