import { Packr } from "msgpackr";
import type { CommitRecord } from "../ordering/orderingEngine";

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** Status of a committed transaction, kept in the aux index under `tx:<id>`. */
export interface CommittedTx {
  height: number;
  index: number;
  ok: boolean;
  error?: string;
}

export interface BlockRecord {
  height: number;
  time: number;
  txs: Array<{ id: string; ok: boolean; error?: string }>;
}

export function txAuxKey(id: string): string {
  return `tx:${id}`;
}

export function encodeCommittedTx(c: CommittedTx): Uint8Array {
  return packr.pack(c);
}

export function decodeCommittedTx(bytes: Uint8Array): CommittedTx {
  return packr.unpack(bytes) as CommittedTx;
}

export function encodeBlockRecord(r: BlockRecord): Uint8Array {
  return packr.pack(r);
}

export function decodeBlockRecord(bytes: Uint8Array): BlockRecord {
  return packr.unpack(bytes) as BlockRecord;
}

/** Under consensus, the decided block and its certificate are kept under `commit:<height>`. */
export function commitAuxKey(height: number): string {
  return `commit:${height}`;
}

export function encodeCommitRecord(c: CommitRecord): Uint8Array {
  return packr.pack(c);
}

export function decodeCommitRecord(bytes: Uint8Array): CommitRecord {
  return packr.unpack(bytes) as CommitRecord;
}
