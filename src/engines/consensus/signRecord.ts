import {
  type ChainSpec,
  type ConsensusMessage,
  type ConsensusValue,
  MAX_SAVED_MESSAGES,
  MAX_VALIDATORS,
  MAX_VALUE_ID_BYTES,
  type SavedState,
  type Signed,
  type SignedVote,
  signerOf,
  verifyMessage,
} from "../../consensus";
import { blockId, MAX_BLOCK_BYTES } from "./block";

export const SIGN_RECORD_FORMAT = "anode-consensus-signed/2";
/**
 * MAX_RECORD_BLOCKS blocks at most in base64, MAX_SAVED_MESSAGES
 * votes, a prevote of every validator (the valid value's proof), and the JSON around.
 */
export const MAX_SIGN_RECORD_BYTES = 2 * 1024 * 1024;

/**
 * What the data directory says this validator signed on one chain.
 * - none: no record, nothing was ever signed.
 * - saved: the last message signed and the lock and valid value at that moment.
 * - sealed: something was signed at or below `height`, but not what (a record of the
 *   format before 2, or one an operator wrote to recover): nothing there is signed again.
 * - broken: unreadable; nothing at all is signed, since reading it as "nothing signed"
 *   could sign twice.
 */
export type SignRecord =
  | { readonly kind: "none" }
  | { readonly kind: "saved"; readonly saved: SavedState }
  | { readonly kind: "sealed"; readonly height: number }
  | { readonly kind: "broken"; readonly reason: string };

type Json = Record<string, unknown>;

/** Distinct blocks in a record: the last proposal, an earlier one, the lock, the valid value. */
const MAX_RECORD_BLOCKS = 4;

/**
 * The record's JSON: the position at the top (as format 1 had it); every value is its id,
 * and each distinct block is written once, in base64, under `blocks` (the lock, the valid
 * value and a proposal are usually one block).
 */
export function encodeSignRecord(chainId: string, saved: SavedState): string {
  const m = saved.last.message;
  const blocks: Record<string, string> = {};
  const value = (v: ConsensusValue): Json => {
    blocks[v.id] ??= Buffer.from(v.block as Uint8Array).toString("base64");
    return { id: v.id };
  };
  const signed = (x: Signed): Json => ({
    message:
      x.message.type === "proposal" ? { ...x.message, value: value(x.message.value) } : x.message,
    signature: Buffer.from(x.signature).toString("base64"),
  });
  const record = {
    format: SIGN_RECORD_FORMAT,
    chainId,
    height: m.height,
    round: m.round,
    step: m.type,
    signed: signed(saved.last),
    earlier: saved.earlier.map(signed),
    lockedRound: saved.lockedRound,
    lockedValue: saved.lockedValue === null ? null : value(saved.lockedValue),
    validRound: saved.validRound,
    validValue: saved.validValue === null ? null : value(saved.validValue),
    validProof: saved.validProof.map(signed),
  };
  return JSON.stringify({ ...record, blocks });
}

/**
 * Checks a record read from the data directory, which is not trusted: its shape, that
 * the message is this node's for this chain with a signature that verifies, that its
 * position is the one written beside it, and that every block hashes to its id.
 */
export function decodeSignRecord(text: string, chain: ChainSpec, self: string): SignRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return broken("not JSON");
  }
  if (!isObject(raw)) return broken("not a JSON object");
  if (raw.format === undefined) return decodeFormat1(raw);
  if (raw.format !== SIGN_RECORD_FORMAT) return broken(`unknown format ${String(raw.format)}`);
  if (raw.chainId !== chain.chainId) return broken(`written for chain ${String(raw.chainId)}`);
  if (!isHeight(raw.height)) return broken("no height");
  if (raw.sealed === true) return { kind: "sealed", height: raw.height };
  const blocks = decodeBlocks(raw.blocks);
  if (blocks === undefined) return broken("a bad block table");
  const decodeSigned = (x: unknown) => decodeSignedWith(x, blocks);
  const decodeNullableValue = (x: unknown) => (x === null ? null : decodeValue(x, blocks));
  const signed = decodeSigned(raw.signed);
  if (typeof signed === "string") return broken(signed);
  const m = signed.message;
  if (signerOf(m) !== self) return broken("signed by another node");
  const verdict = verifyMessage(signed, chain);
  if (!verdict.ok) return broken(`the signed message does not verify (${verdict.fault})`);
  if (m.height !== raw.height || m.round !== raw.round || m.type !== raw.step) {
    return broken("the position does not match the signed message");
  }
  const lockedValue = decodeNullableValue(raw.lockedValue);
  const validValue = decodeNullableValue(raw.validValue);
  if (lockedValue === undefined || validValue === undefined) return broken("a bad saved value");
  if (!isRound(raw.lockedRound) || !isRound(raw.validRound)) return broken("a bad saved round");
  const validProof = decodeProof(raw.validProof, chain, blocks);
  if (typeof validProof === "string") return broken(validProof);
  const earlier = decodeEarlier(raw.earlier, chain, self, blocks);
  if (typeof earlier === "string") return broken(earlier);
  return {
    kind: "saved",
    saved: {
      last: signed,
      earlier,
      lockedRound: raw.lockedRound,
      lockedValue,
      validRound: raw.validRound,
      validValue,
      validProof,
    },
  };
}

/** This node's messages before the last (restoreHeight checks their positions). */
function decodeEarlier(
  raw: unknown,
  chain: ChainSpec,
  self: string,
  blocks: Blocks,
): Signed[] | string {
  if (!Array.isArray(raw) || raw.length > MAX_SAVED_MESSAGES)
    return "a bad list of earlier messages";
  const out: Signed[] = [];
  for (const item of raw) {
    const s = decodeSignedWith(item, blocks);
    if (typeof s === "string" || signerOf(s.message) !== self) return "a bad earlier message";
    const verdict = verifyMessage(s, chain);
    if (!verdict.ok) return `an earlier message does not verify (${verdict.fault})`;
    out.push(s);
  }
  return out;
}

/** The valid value's prevotes, each of which must verify (restoreHeight checks what they vote). */
function decodeProof(raw: unknown, chain: ChainSpec, blocks: Blocks): SignedVote[] | string {
  if (!Array.isArray(raw) || raw.length > MAX_VALIDATORS) return "a bad valid-value proof";
  const votes: SignedVote[] = [];
  for (const item of raw) {
    const s = decodeSignedWith(item, blocks);
    if (typeof s === "string" || s.message.type !== "prevote") return "a bad valid-value proof";
    const verdict = verifyMessage(s, chain);
    if (!verdict.ok) return `a valid-value prevote does not verify (${verdict.fault})`;
    votes.push(s as SignedVote);
  }
  return votes;
}

/** Format 1 kept the position only: { height, round, rank }. */
function decodeFormat1(raw: Json): SignRecord {
  if (isHeight(raw.height) && isRound(raw.round) && Number.isSafeInteger(raw.rank)) {
    return { kind: "sealed", height: raw.height };
  }
  return broken("neither format 1 nor 2");
}

type Blocks = ReadonlyMap<string, Uint8Array>;

/** Each block must hash to the id it is filed under. */
function decodeBlocks(raw: unknown): Blocks | undefined {
  if (!isObject(raw)) return undefined;
  const entries = Object.entries(raw);
  if (entries.length > MAX_RECORD_BLOCKS) return undefined;
  const out = new Map<string, Uint8Array>();
  for (const [id, text] of entries) {
    const block = decodeBase64(text);
    if (block === undefined || block.length > MAX_BLOCK_BYTES || blockId(block) !== id) {
      return undefined;
    }
    out.set(id, block);
  }
  return out;
}

function decodeSignedWith(raw: unknown, blocks: Blocks): Signed | string {
  if (!isObject(raw) || !isObject(raw.message)) return "no signed message";
  const signature = decodeBase64(raw.signature);
  if (signature === undefined) return "a bad signature encoding";
  const m = raw.message;
  if (m.type === "proposal") {
    const value = decodeValue(m.value, blocks);
    if (value === undefined) return "a bad proposed block";
    return { message: { ...m, value } as unknown as ConsensusMessage, signature };
  }
  return { message: m as unknown as ConsensusMessage, signature };
}

function decodeValue(raw: unknown, blocks: Blocks): ConsensusValue | undefined {
  if (!isObject(raw) || typeof raw.id !== "string") return undefined;
  if (raw.id.length === 0 || Buffer.byteLength(raw.id) > MAX_VALUE_ID_BYTES) return undefined;
  const block = blocks.get(raw.id);
  return block === undefined ? undefined : { id: raw.id, block };
}

function decodeBase64(raw: unknown): Uint8Array | undefined {
  if (typeof raw !== "string") return undefined;
  const bytes = Buffer.from(raw, "base64");
  return bytes.toString("base64") === raw ? new Uint8Array(bytes) : undefined;
}

function isObject(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isHeight(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}

function isRound(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= -1;
}

function broken(reason: string): SignRecord {
  return { kind: "broken", reason };
}
