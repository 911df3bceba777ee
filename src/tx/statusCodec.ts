import { txPackr } from "./txCodec";
import { TxError } from "./txError";
import type { TxStatus } from "./txStatus";

/** Fields written in one fixed order, so equal statuses store as equal bytes. */
export function encodeStatus(status: TxStatus): Uint8Array {
  switch (status.state) {
    case "pending":
      return txPackr.pack({ state: status.state });
    case "ordered":
      return txPackr.pack({ state: status.state, height: status.height, index: status.index });
    default: {
      const { state, height, index } = status;
      return txPackr.pack(
        status.ok
          ? { state, height, index, ok: true }
          : { state, height, index, ok: false, error: status.error },
      );
    }
  }
}

export function decodeStatus(bytes: Uint8Array): TxStatus {
  let value: unknown;
  try {
    value = txPackr.unpack(bytes);
  } catch (err) {
    throw corrupt("not valid msgpack", err);
  }
  if (typeof value !== "object" || value === null) throw corrupt("not a map");
  const { state, height, index, ok, error } = value as Record<string, unknown>;
  if (state === "pending") return { state };
  if (!isPosition(height) || !isPosition(index)) throw corrupt("missing its position");
  if (state === "ordered") return { state, height, index };
  if (state !== "executed" && state !== "committed") throw corrupt("of an unknown state");
  if (ok === true) return { state, height, index, ok };
  if (ok === false && typeof error === "string") return { state, height, index, ok, error };
  throw corrupt("missing its outcome");
}

function isPosition(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function corrupt(reason: string, cause?: unknown): TxError {
  return new TxError(
    { code: "TX_CORRUPT", record: "status", reason },
    `Cannot read transaction status: it is ${reason}`,
    cause === undefined ? {} : { cause },
  );
}
