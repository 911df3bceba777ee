import {
  MAX_AUTH_BYTES,
  MAX_CONTROL_BYTES,
  MAX_DIRECT_BYTES,
  MAX_GOSSIP_BYTES,
  MAX_HELLO_BYTES,
  MAX_PEX_BYTES,
  MAX_PING_BYTES,
} from "./frameLimits";
import type { FrameType } from "./frameTypes";

const LIMITS: Readonly<Record<FrameType, number>> = {
  hello: MAX_HELLO_BYTES,
  auth: MAX_AUTH_BYTES,
  msg: MAX_DIRECT_BYTES,
  gossip: MAX_GOSSIP_BYTES,
  ping: MAX_PING_BYTES,
  pong: MAX_PING_BYTES,
  ctl: MAX_CONTROL_BYTES,
  pex: MAX_PEX_BYTES,
};

/** The largest encoded frame (tag byte included) allowed for a frame type. */
export function frameLimitOf(type: FrameType): number {
  return LIMITS[type];
}
