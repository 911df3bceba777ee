import { createHash } from "node:crypto";
import fs from "node:fs";
import { encodeSnapshotEntry, encodeSnapshotHeader } from "../../../src/storage/snapshotFormat";

/** Writes a snapshot file by hand, with a correct checksum unless told otherwise. */
export function writeSnapshotFile(
  file: string,
  header: { height: number; root: string; entries: number },
  entries: Uint8Array[],
  options: { trailer?: Uint8Array; append?: Uint8Array } = {},
): void {
  const body = Buffer.concat([encodeSnapshotHeader(header), ...entries]);
  const trailer = options.trailer ?? createHash("sha256").update(body).digest();
  fs.writeFileSync(file, Buffer.concat([body, trailer, options.append ?? new Uint8Array()]));
}

export { encodeSnapshotEntry };
