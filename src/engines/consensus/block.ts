import { createHash } from "node:crypto";
import { Packr } from "msgpackr";
import { NodeError } from "../../errors";

/**
 * Proposals travel as gossip, whose frames stop at 256 KiB: a block stays well under it.
 * Limits are checked on every block received, before anything else is done with it.
 */
export const MAX_BLOCK_BYTES = 200 * 1024;
export const MAX_BLOCK_TXS = 5000;

/** Block ids and state roots are SHA-256 sized: 64 lowercase hex digits. */
const HASH_HEX = /^[0-9a-f]{64}$/;

/** The parent of height 1: there is no block 0 to hash. */
export const GENESIS_PARENT = "0".repeat(64);

/**
 * A block as consensus agrees on it: ordered transaction encodings, opaque here. `parent`
 * and `stateRoot` tie it to what came before, so two nodes that computed block H-1
 * differently cannot both vote for H without noticing.
 */
export interface Block {
  chainId: string;
  height: number;
  time: number;
  proposer: string;
  /** The block id of height - 1 (GENESIS_PARENT for height 1). */
  parent: string;
  /** The application state root once height - 1 is committed (the store's root). */
  stateRoot: string;
  txs: Uint8Array[];
}

export class BlockError extends NodeError<{ code: "BLOCK_INVALID"; reason: string }> {}

// Records off and a fixed array layout: the same block always encodes to the same bytes.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encodeBlock(b: Block): Uint8Array {
  return packr.pack([b.chainId, b.height, b.time, b.proposer, b.parent, b.stateRoot, b.txs]);
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
  if (!Array.isArray(raw) || raw.length !== 7) throw invalid("not a block");
  const [chainId, height, time, proposer, parent, stateRoot, txs] = raw as unknown[];
  if (typeof chainId !== "string" || typeof proposer !== "string")
    throw invalid("bad chain id or proposer");
  if (!Number.isSafeInteger(height) || (height as number) < 1) throw invalid("bad height");
  if (!Number.isSafeInteger(time) || (time as number) < 0) throw invalid("bad time");
  if (typeof parent !== "string" || !HASH_HEX.test(parent))
    throw invalid("bad parent: not 64 lowercase hex digits");
  if ((height === 1) !== (parent === GENESIS_PARENT))
    throw invalid("bad parent: only height 1 has the all-zero parent");
  if (typeof stateRoot !== "string" || !HASH_HEX.test(stateRoot))
    throw invalid("bad state root: not 64 lowercase hex digits");
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
    parent,
    stateRoot,
    txs: txs as Uint8Array[],
  };
}

function invalid(reason: string): BlockError {
  return new BlockError({ code: "BLOCK_INVALID", reason }, `Cannot accept block: ${reason}`);
}
