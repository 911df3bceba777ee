import { createHash } from "node:crypto";
import { blockId, MAX_BLOCK_BYTES } from "./block";

/**
 * A block split into parts for the vote sync, so a proposal is not capped by one frame:
 * the proposal travels with a header (the SHA-256 of every part) in place of the block,
 * the parts follow in later frames, each checked against its hash on arrival, and the
 * whole against the block id the proposer signed. The header itself is not signed: a
 * neighbour that lies in it only makes the assembly fail (the proposal comes again, from
 * it or another neighbour), never makes a wrong block pass.
 */
export const PART_BYTES = 64 * 1024;
/** Blocks up to this size go whole; above it, in parts. */
export const WHOLE_BLOCK_BYTES = PART_BYTES;
export const MAX_PARTS = Math.ceil(MAX_BLOCK_BYTES / PART_BYTES);

export interface PartsHeader {
  readonly total: number;
  readonly bytes: number;
  readonly hashes: readonly string[];
}

export interface BlockPart {
  readonly valueId: string;
  readonly index: number;
  readonly bytes: Uint8Array;
}

export function splitBlock(
  valueId: string,
  block: Uint8Array,
): { header: PartsHeader; parts: BlockPart[] } {
  const parts: BlockPart[] = [];
  for (let at = 0, index = 0; at < block.length; at += PART_BYTES, index += 1) {
    parts.push({ valueId, index, bytes: block.subarray(at, at + PART_BYTES) });
  }
  return {
    header: { total: parts.length, bytes: block.length, hashes: parts.map((p) => hashOf(p.bytes)) },
    parts,
  };
}

/** Parts received of one block, from one neighbour's header. */
export interface PartSet {
  readonly valueId: string;
  readonly header: PartsHeader;
  readonly parts: (Uint8Array | undefined)[];
  received: number;
}

/** A header within the limits, or undefined. */
export function createPartSet(valueId: string, header: unknown): PartSet | undefined {
  const h = header as Partial<PartsHeader> | null;
  if (typeof h !== "object" || h === null) return undefined;
  const { total, bytes, hashes } = h;
  if (!Number.isSafeInteger(total) || (total as number) < 1 || (total as number) > MAX_PARTS)
    return undefined;
  if (!Number.isSafeInteger(bytes) || (bytes as number) > MAX_BLOCK_BYTES) return undefined;
  if (
    (bytes as number) > (total as number) * PART_BYTES ||
    (bytes as number) <= ((total as number) - 1) * PART_BYTES
  )
    return undefined;
  if (!Array.isArray(hashes) || hashes.length !== total) return undefined;
  if (!hashes.every((x) => typeof x === "string" && /^[0-9a-f]{64}$/.test(x))) return undefined;
  return {
    valueId,
    header: { total: total as number, bytes: bytes as number, hashes },
    parts: new Array(total as number).fill(undefined),
    received: 0,
  };
}

export type PartVerdict = "added" | "duplicate" | "bad";

/** Files a part if its hash is the header's for its index. */
export function addPart(set: PartSet, index: unknown, bytes: unknown): PartVerdict {
  if (
    !Number.isSafeInteger(index) ||
    (index as number) < 0 ||
    (index as number) >= set.header.total
  )
    return "bad";
  if (!(bytes instanceof Uint8Array) || bytes.length > PART_BYTES) return "bad";
  const i = index as number;
  if (set.parts[i] !== undefined) return "duplicate";
  if (hashOf(bytes) !== set.header.hashes[i]) return "bad";
  set.parts[i] = bytes;
  set.received += 1;
  return "added";
}

/** The block once every part is in and the whole hashes to the signed id; else undefined. */
export function assemble(set: PartSet): Uint8Array | "bad" | undefined {
  if (set.received < set.header.total) return undefined;
  const block = Buffer.concat(set.parts as Uint8Array[]);
  if (block.length !== set.header.bytes || blockId(block) !== set.valueId) return "bad";
  return new Uint8Array(block.buffer, block.byteOffset, block.length);
}

function hashOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
