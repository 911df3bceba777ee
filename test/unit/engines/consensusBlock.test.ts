import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Block,
  blockId,
  decodeBlock,
  encodeBlock,
  MAX_BLOCK_BYTES,
  SignGuard,
} from "../../../src/engines";
import { tempDir } from "../../support/tempDir";

const block: Block = {
  chainId: "c",
  height: 3,
  time: 1000,
  proposer: "p",
  txs: [Uint8Array.from([1, 2]), Uint8Array.from([3])],
};

describe("block encoding", () => {
  it("round-trips and always encodes a block to the same bytes and id", () => {
    const a = encodeBlock(block);
    const back = decodeBlock(a);
    expect({ ...back, txs: back.txs.map((t) => [...t]) }).toEqual({
      ...block,
      txs: block.txs.map((t) => [...t]),
    });
    expect(blockId(encodeBlock({ ...block, txs: [...block.txs] }))).toBe(blockId(a));
    expect(blockId(encodeBlock({ ...block, time: 1001 }))).not.toBe(blockId(a));
  });

  it.each([
    ["not bytes", "x", /not bytes/],
    ["oversized", new Uint8Array(MAX_BLOCK_BYTES + 1), /over/],
    ["garbage", Uint8Array.from([0xc1]), /malformed|not a block/],
    ["wrong shape", encodeBlock({ ...block, height: 0 }), /bad height/],
  ])("refuses %s", (_name, input, reason) => {
    expect(() => decodeBlock(input)).toThrow(reason);
  });
});

describe("SignGuard", () => {
  const vote = (height: number, round: number, type: "proposal" | "prevote" | "precommit") =>
    ({ type, chainId: "c", height, round, valueId: null, voter: "v" }) as never;

  it("allows each later position once and refuses any earlier or equal one, across restarts", () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, "c.signed");
      const g = new SignGuard(file);
      expect(g.allow(vote(5, 0, "proposal"))).toBe(true);
      expect(g.allow(vote(5, 0, "prevote"))).toBe(true);
      expect(g.allow(vote(5, 0, "prevote"))).toBe(false);
      expect(g.allow(vote(5, 0, "proposal"))).toBe(false);
      expect(g.allow(vote(5, 0, "precommit"))).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ height: 5, round: 0, rank: 2 });
      // A restarted node reads what it signed last.
      const again = new SignGuard(file);
      expect(again.allow(vote(5, 0, "precommit"))).toBe(false);
      expect(again.allow(vote(5, 1, "prevote"))).toBe(true);
      expect(again.allow(vote(6, 0, "prevote"))).toBe(true);
    } finally {
      dir.remove();
    }
  });
});
