import { Packr } from "msgpackr";

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
