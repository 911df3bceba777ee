import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blockId } from "../../../../src/engines/consensus/block";
import {
  addPart,
  assemble,
  createPartSet,
  PART_BYTES,
  splitBlock,
} from "../../../../src/engines/consensus/blockParts";

const block = new Uint8Array(randomBytes(3 * PART_BYTES + 1000));
const id = blockId(block);

describe("blockParts", () => {
  it("a block split into parts assembles to the same bytes, whatever the order of the parts", () => {
    const { header, parts } = splitBlock(id, block);
    expect(header.total).toBe(4);
    const set = createPartSet(id, header);
    if (set === undefined) throw new Error("header refused");
    for (const p of [...parts].reverse()) expect(addPart(set, p.index, p.bytes)).toBe("added");
    expect(Buffer.from(assemble(set) as Uint8Array).equals(Buffer.from(block))).toBe(true);
  });

  it("addPart() refuses a part whose hash is not the header's, and files a part once", () => {
    const { header, parts } = splitBlock(id, block);
    const set = createPartSet(id, header);
    if (set === undefined) throw new Error("header refused");
    const tampered = new Uint8Array(parts[1]?.bytes as Uint8Array);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(addPart(set, 1, tampered)).toBe("bad");
    expect(addPart(set, 1, parts[1]?.bytes)).toBe("added");
    expect(addPart(set, 1, parts[1]?.bytes)).toBe("duplicate");
    expect(addPart(set, 9, parts[1]?.bytes)).toBe("bad");
    expect(assemble(set)).toBeUndefined();
  });

  it("a lying header (hashes of other bytes) never assembles into a block under the signed id", () => {
    const other = new Uint8Array(randomBytes(block.length));
    const { header, parts } = splitBlock(id, other);
    const set = createPartSet(id, header);
    if (set === undefined) throw new Error("header refused");
    for (const p of parts) addPart(set, p.index, p.bytes);
    expect(assemble(set)).toBe("bad");
  });

  it("createPartSet() refuses headers outside the limits", () => {
    const { header } = splitBlock(id, block);
    expect(createPartSet(id, { ...header, total: 0 })).toBeUndefined();
    expect(createPartSet(id, { ...header, total: 10_000 })).toBeUndefined();
    expect(createPartSet(id, { ...header, bytes: 10 })).toBeUndefined();
    expect(createPartSet(id, { ...header, hashes: header.hashes.slice(1) })).toBeUndefined();
    expect(createPartSet(id, null)).toBeUndefined();
  });
});
