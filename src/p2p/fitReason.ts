import { MAX_CLOSE_REASON_BYTES } from "./frameLimits";

/** Cuts a close reason to the 123 bytes a websocket close frame can carry. */
export function fitReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > MAX_CLOSE_REASON_BYTES) out = out.slice(0, -1);
  return out;
}
