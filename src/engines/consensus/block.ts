import { createHash } from "node:crypto";
import { Packr } from "msgpackr";
import { NodeError } from "../../errors";

/**
 * Proposals travel as gossip, whose frames stop at 256 KiB: a block stays well under it.
 * Limits are checked on every block received, before anything else is done with it.
 */
export const MAX_BLOCK_BYTES = 200 * 1024;
export const MAX_BLOCK_TXS = 5000;

/** A block as consensus agrees on it: ordered transaction encodings, opaque here. */
export interface Block {
  chainId: string;
  height: number;
  time: number;
  proposer: string;
  txs: Uint8Array[];
}

export class BlockError extends NodeError<{ code: "BLOCK_INVALID"; reason: string }> {}

// Records off and a fixed array layout: the same block always encodes to the same bytes.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encodeBlock(b: Block): Uint8Array {
  return packr.pack([b.chainId, b.height, b.time, b.proposer, b.txs]);
}

export function blockId(encoded: Uint8Array): string {
  return createHash("sha256").update(encoded).digest("hex");
}

/** Decodes and checks an untrusted block encoding. */
export function decodeBlock(bytes: unknown): Block {
  if (!(bytes instanceof Uint8Array)) throw invalid("not bytes");
  if (bytes.length > MAX_BLOCK_BYTES)
    throw invalid(`${bytes.length} bytes, over ${MAX_BLOCK_BYTES}`);
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch {
    throw invalid("malformed MessagePack");
  }
  if (!Array.isArray(raw) || raw.length !== 5) throw invalid("not a block");
  const [chainId, height, time, proposer, txs] = raw as unknown[];
  if (typeof chainId !== "string" || typeof proposer !== "string")
    throw invalid("bad chain id or proposer");
  if (!Number.isSafeInteger(height) || (height as number) < 1) throw invalid("bad height");
  if (!Number.isSafeInteger(time) || (time as number) < 0) throw invalid("bad time");
  if (
    !Array.isArray(txs) ||
    txs.length > MAX_BLOCK_TXS ||
    !txs.every((t) => t instanceof Uint8Array)
  ) {
    throw invalid("bad transaction list");
  }
  return {
    chainId,
    height: height as number,
    time: time as number,
    proposer,
    txs: txs as Uint8Array[],
  };
}

function invalid(reason: string): BlockError {
  return new BlockError({ code: "BLOCK_INVALID", reason }, `Cannot accept block: ${reason}`);
}
