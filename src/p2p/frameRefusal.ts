import type { CloseReasonKey } from "./closeCodes";
import type { P2PError } from "./p2pError";

const FRAME_ERROR_REASONS: Readonly<Record<string, CloseReasonKey>> = {
  P2P_FRAME_TOO_LARGE: "frame_too_large",
  P2P_FRAME_MALFORMED: "malformed_frame",
  P2P_FRAME_INVALID: "invalid_frame",
  P2P_FRAME_UNKNOWN_TYPE: "invalid_frame",
};

/**
 * Why a frame that failed to decode closes its connection: the close reason and the part
 * of the error worth putting in it (what was wrong, never the bytes).
 */
export function frameRefusal(err: P2PError): { key: CloseReasonKey; detail: string | undefined } {
  const key = FRAME_ERROR_REASONS[err.code] ?? "invalid_frame";
  const type = err.type;
  switch (type.code) {
    case "P2P_FRAME_TOO_LARGE":
      return { key, detail: `${type.frameType} of ${type.size} bytes` };
    case "P2P_FRAME_INVALID":
      return { key, detail: err.message.replace(/^Cannot decode \w+ frame: /, "") };
    case "P2P_FRAME_UNKNOWN_TYPE":
      return { key, detail: "unknown type" };
    default:
      return { key, detail: undefined };
  }
}
