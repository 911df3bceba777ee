import { createHash } from "node:crypto";
import { Packr } from "msgpackr";
import { NodeError } from "../../errors";

/**
 * Proposals travel by the vote sync in 64 KiB parts (see blockParts), so a block is not
 * capped by a frame; this bound keeps one decided block and its certificate inside one
 * 1 MiB direct frame, as a catch-up reply carries them. Limits are checked on every block
 * received, before anything else is done with it.
 */
export const MAX_BLOCK_BYTES = 768 * 1024;
/** Proposals up to this size are also gossiped (the 256 KiB gossip frame); larger ones are not. */
export const MAX_GOSSIP_BLOCK_BYTES = 200 * 1024;
export const MAX_BLOCK_TXS = 5000;

/** Block ids and state roots are SHA-256 sized: 64 lowercase hex digits. */
const HASH_HEX = /^[0-9a-f]{64}$/;

/** The parent of height 1: there is no block 0 to hash. */
export const GENESIS_PARENT = "0".repeat(64);

/**
 * A block as consensus agrees on it: ordered transaction encodings, opaque here. `parent`
 * and `stateRoot` tie it to what came before, so two nodes that computed block H-1
 * differently cannot both vote for H without noticing.
 *
 * Both are absent together on a block consensus 1.0.0 decided (the five-field layout,
 * before blocks were linked): such a block still decodes, so a chain that moved to 1.1.0
 * at a height replays, serves and catches up on its older heights. Nothing proposed today
 * may leave them out (`wellFormed` refuses it).
 */
export interface Block {
  chainId: string;
  height: number;
  time: number;
  proposer: string;
  /** The block id of height - 1 (GENESIS_PARENT for height 1). */
  parent?: string;
  /** The application state root once height - 1 is committed (the store's root). */
  stateRoot?: string;
  txs: Uint8Array[];
}

/** Whether a block names its parent and the state root before it (every block since 1.1.0). */
export function isLinked<B extends Pick<Block, "parent" | "stateRoot">>(
  b: B,
): b is B & { parent: string; stateRoot: string } {
  return b.parent !== undefined && b.stateRoot !== undefined;
}

export class BlockError extends NodeError<{ code: "BLOCK_INVALID"; reason: string }> {}

// Records off and a fixed array layout: the same block always encodes to the same bytes.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encodeBlock(b: Block): Uint8Array {
  if (isLinked(b))
    return packr.pack([b.chainId, b.height, b.time, b.proposer, b.parent, b.stateRoot, b.txs]);
  if (b.parent !== undefined || b.stateRoot !== undefined)
    throw invalid("a parent without a state root, or a state root without a parent");
  return packr.pack([b.chainId, b.height, b.time, b.proposer, b.txs]);
}

export function blockId(encoded: Uint8Array): string {
  return createHash("sha256").update(encoded).digest("hex");
}

/** The layout of consensus 1.0.0: chain, height, time, proposer, transactions. */
const LEGACY_FIELDS = 5;

/** Decodes and checks an untrusted block encoding (either layout). */
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
  if (!Array.isArray(raw) || (raw.length !== 7 && raw.length !== LEGACY_FIELDS))
    throw invalid("not a block");
  const legacy = raw.length === LEGACY_FIELDS;
  const [chainId, height, time, proposer, parent, stateRoot, txs] = legacy
    ? [raw[0], raw[1], raw[2], raw[3], undefined, undefined, raw[4]]
    : (raw as unknown[]);
  if (typeof chainId !== "string" || typeof proposer !== "string")
    throw invalid("bad chain id or proposer");
  if (!Number.isSafeInteger(height) || (height as number) < 1) throw invalid("bad height");
  if (!Number.isSafeInteger(time) || (time as number) < 0) throw invalid("bad time");
  if (!legacy) {
    if (typeof parent !== "string" || !HASH_HEX.test(parent))
      throw invalid("bad parent: not 64 lowercase hex digits");
    if ((height === 1) !== (parent === GENESIS_PARENT))
      throw invalid("bad parent: only height 1 has the all-zero parent");
    if (typeof stateRoot !== "string" || !HASH_HEX.test(stateRoot))
      throw invalid("bad state root: not 64 lowercase hex digits");
  }
  if (
    !Array.isArray(txs) ||
    txs.length > MAX_BLOCK_TXS ||
    !txs.every((t) => t instanceof Uint8Array)
  ) {
    throw invalid("bad transaction list");
  }
  const block: Block = {
    chainId,
    height: height as number,
    time: time as number,
    proposer,
    txs: txs as Uint8Array[],
  };
  if (!legacy) {
    block.parent = parent as string;
    block.stateRoot = stateRoot as string;
  }
  return block;
}

function invalid(reason: string): BlockError {
  return new BlockError({ code: "BLOCK_INVALID", reason }, `Cannot accept block: ${reason}`);
}
