import type { KvValue } from "./kvTx";
import { txPackr } from "./txCodec";
import { TxError } from "./txError";

/**
 * How a value is stored: its msgpack bytes under the pinned codec, so the same value is
 * always the same bytes and state roots agree across nodes.
 */
export function encodeValue(value: KvValue): Uint8Array {
  if (!isKvValue(value)) {
    throw new TxError(
      { code: "TX_BAD_ARGUMENT", name: "value", reason: "not a KvValue" },
      "Cannot encode value: it must be a string, a finite number, a boolean or bytes",
    );
  }
  return txPackr.pack(value);
}

export function decodeValue(bytes: Uint8Array): KvValue {
  let value: unknown;
  try {
    value = txPackr.unpack(bytes);
  } catch (err) {
    throw corrupt("not valid msgpack", err);
  }
  if (!isKvValue(value)) throw corrupt("not a string, finite number, boolean or bytes");
  // msgpack hands back a Buffer view into `bytes`; a copy neither aliases nor pins it.
  return value instanceof Uint8Array ? new Uint8Array(value) : value;
}

function isKvValue(value: unknown): value is KvValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    default:
      return value instanceof Uint8Array;
  }
}

function corrupt(reason: string, cause?: unknown): TxError {
  return new TxError(
    { code: "TX_CORRUPT", record: "value", reason },
    `Cannot read stored value: it is ${reason}`,
    cause === undefined ? {} : { cause },
  );
}
