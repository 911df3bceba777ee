import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import {
  type ChainSpec,
  type ConsensusMessage,
  type SavedState,
  type SignVerdict,
  signVerdict,
} from "../../consensus";
import {
  decodeSignRecord,
  encodeSignRecord,
  MAX_SIGN_RECORD_BYTES,
  type SignRecord,
} from "./signRecord";

export type { SignRecord } from "./signRecord";

/**
 * Where a chain's write-ahead record lives (`<data-dir>/consensus-<chain>.signed`). Data,
 * not code: the class of format 1 had a `file` field too, so a consensus engine swapped
 * in over it, or restarted from its old child spec, finds the file the same way.
 */
export interface SignGuardArgs {
  readonly file: string;
}

/**
 * Reads the record at start. A missing file is "none"; anything unreadable, too large or
 * failing the checks is "broken", which refuses every signature on the chain.
 */
export function loadSignRecord(file: string, chain: ChainSpec, self: string): SignRecord {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none" };
    return { kind: "broken", reason: `cannot open it (${(err as Error).message})` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_SIGN_RECORD_BYTES) {
      return { kind: "broken", reason: `${size} bytes, over the ${MAX_SIGN_RECORD_BYTES} limit` };
    }
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeSignRecord(bytes.subarray(0, read).toString("utf8"), chain, self);
  } catch (err) {
    return { kind: "broken", reason: `cannot read it (${(err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the record so that a crash leaves the old or the new one, and returns only
 * once the new one is on disk: the file is flushed before the rename and the directory
 * after it (without that, a crash could bring back the old name's content, and with it
 * a position this node has already passed). Throws when it cannot: then nothing is sent.
 */
export function saveSignRecord(file: string, chainId: string, saved: SavedState): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, encodeSignRecord(chainId, saved));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDirectory(dirname(file));
}

/** May `message` be signed, given the record? */
export function guardVerdict(record: SignRecord, message: ConsensusMessage): SignVerdict {
  switch (record.kind) {
    case "none":
      return "sign";
    case "broken":
      return "refuse";
    case "sealed":
      return message.height > record.height ? "sign" : "refuse";
    case "saved":
      return signVerdict(record.saved.last.message, message);
  }
}

/** The saved state to take `height` up from, when the record is of that height. */
export function savedAt(record: SignRecord, height: number): SavedState | undefined {
  return record.kind === "saved" && record.saved.last.message.height === height
    ? record.saved
    : undefined;
}

function syncDirectory(dir: string): void {
  // Node cannot open a directory on Windows to flush it; NTFS journals the rename, which
  // may reach the disk a little later there (a known limit, see docs/consensus.md).
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
