import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from "node:crypto";
import { SEAL_TAG_BYTES } from "./frameLimits";
import { SEALED_TAG } from "./frameTypes";

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const AAD = Uint8Array.of(SEALED_TAG);

/** 96 bits: four zero bytes, then the frame's counter in 64 bits big-endian. */
function setNonce(nonce: Buffer, counter: number): Buffer {
  nonce.writeUInt32BE(Math.floor(counter / 2 ** 32), 4);
  nonce.writeUInt32BE(counter >>> 0, 8);
  return nonce;
}

/**
 * The per-link ChaCha20-Poly1305 channel that every frame after the hellos travels in.
 * Each direction has its own key and a counter nonce that both ends advance frame by
 * frame and never send, so a frame flipped, injected, replayed, reordered or dropped on
 * the way fails authentication (a later frame no longer matches the receiver's counter).
 *
 * Wire form: SEALED_TAG, the ciphertext, the 16-byte Poly1305 tag; the tag byte is the
 * associated data.
 */
export class LinkCipher {
  private sent = 0;
  private received = 0;
  // Key objects, made once: a third cheaper per frame than raw keys (createCipheriv copies
  // key and nonce, so one nonce buffer per direction is safe to reuse).
  private readonly sendKey: KeyObject;
  private readonly receiveKey: KeyObject;
  private readonly sendNonce = Buffer.alloc(NONCE_BYTES);
  private readonly receiveNonce = Buffer.alloc(NONCE_BYTES);

  constructor(sendKey: Uint8Array, receiveKey: Uint8Array) {
    if (sendKey.length !== KEY_BYTES || receiveKey.length !== KEY_BYTES) {
      throw new RangeError(`link keys must be ${KEY_BYTES} bytes`);
    }
    this.sendKey = createSecretKey(sendKey);
    this.receiveKey = createSecretKey(receiveKey);
  }

  seal(plain: Uint8Array): Uint8Array {
    // 2^53 frames: centuries of traffic, but a nonce must never repeat under one key.
    if (this.sent >= Number.MAX_SAFE_INTEGER) throw new RangeError("link nonce exhausted");
    const cipher = createCipheriv(
      "chacha20-poly1305",
      this.sendKey,
      setNonce(this.sendNonce, this.sent),
      {
        authTagLength: SEAL_TAG_BYTES,
      },
    );
    this.sent += 1;
    cipher.setAAD(AAD, { plaintextLength: plain.length });
    const out = Buffer.allocUnsafe(1 + plain.length + SEAL_TAG_BYTES);
    out[0] = SEALED_TAG;
    const written = cipher.update(plain).copy(out, 1);
    cipher.final();
    cipher.getAuthTag().copy(out, 1 + written);
    return out;
  }

  /**
   * The plaintext of the next frame from the peer, or undefined when it is not that frame
   * (not sealed, too short, or failing authentication). After an undefined the link must
   * close: the counter has not advanced and no later frame can be trusted.
   */
  open(wire: Uint8Array): Uint8Array | undefined {
    if (wire.length < 1 + SEAL_TAG_BYTES || wire[0] !== SEALED_TAG) return undefined;
    const body = wire.subarray(1, wire.length - SEAL_TAG_BYTES);
    const decipher = createDecipheriv(
      "chacha20-poly1305",
      this.receiveKey,
      setNonce(this.receiveNonce, this.received),
      {
        authTagLength: SEAL_TAG_BYTES,
      },
    );
    decipher.setAAD(AAD, { plaintextLength: body.length });
    decipher.setAuthTag(wire.subarray(wire.length - SEAL_TAG_BYTES));
    const plain = decipher.update(body);
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    this.received += 1;
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  }
}
