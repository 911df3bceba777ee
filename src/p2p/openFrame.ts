import { decodeFrame } from "./decodeFrame";
import { frameRefusal } from "./frameRefusal";
import { type Frame, SEALED_TAG } from "./frameTypes";
import type { Refusal } from "./helloRefusal";
import type { LinkCipher } from "./linkCipher";
import { P2PError } from "./p2pError";

/** A frame as it came off a link: decoded, and its plaintext bytes (the hello's transcript). */
export interface OpenedFrame {
  readonly frame: Frame;
  readonly plain: Uint8Array;
}

/**
 * The frame in one message from a peer: opened with the link's cipher once it has one
 * (every frame after the hellos), then decoded. A refusal names the close reason: a frame
 * that does not open is frame_auth_failed, one that does not decode says what was wrong.
 */
export function openFrame(
  data: Uint8Array,
  cipher: LinkCipher | undefined,
): OpenedFrame | { refusal: Refusal } {
  let plain = data;
  if (cipher !== undefined) {
    const opened = cipher.open(data);
    if (opened === undefined) {
      const detail = data[0] === SEALED_TAG ? {} : { detail: "not sealed" };
      return { refusal: { key: "frame_auth_failed", ...detail } };
    }
    plain = opened;
  }
  try {
    return { frame: decodeFrame(plain), plain };
  } catch (err) {
    if (!(err instanceof P2PError)) throw err;
    const { key, detail } = frameRefusal(err);
    return { refusal: { key, ...(detail === undefined ? {} : { detail }) } };
  }
}
