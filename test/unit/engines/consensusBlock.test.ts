import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import {
  type Block,
  blockId,
  decodeBlock,
  encodeBlock,
  MAX_BLOCK_BYTES,
} from "../../../src/engines";
import { GENESIS_PARENT, isLinked } from "../../../src/engines/consensus/block";
import type { ChainState } from "../../../src/engines/consensus/chainState";
import { wellFormed } from "../../../src/engines/consensus/wellFormed";

const legacyPackr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

const block: Block = {
  chainId: "c",
  height: 3,
  time: 1000,
  proposer: "p",
  parent: "ab".repeat(32),
  stateRoot: "cd".repeat(32),
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

  it("binds the parent and the state root into the id", () => {
    const id = blockId(encodeBlock(block));
    expect(blockId(encodeBlock({ ...block, parent: "ef".repeat(32) }))).not.toBe(id);
    expect(blockId(encodeBlock({ ...block, stateRoot: "ef".repeat(32) }))).not.toBe(id);
  });

  it("accepts the all-zero parent at height 1 only", () => {
    const first = decodeBlock(encodeBlock({ ...block, height: 1, parent: GENESIS_PARENT }));
    expect(first.parent).toBe(GENESIS_PARENT);
    expect(() => decodeBlock(encodeBlock({ ...block, parent: GENESIS_PARENT }))).toThrow(
      /only height 1/,
    );
    expect(() => decodeBlock(encodeBlock({ ...block, height: 1 }))).toThrow(/only height 1/);
  });

  it.each([
    ["not bytes", "x", /not bytes/],
    ["oversized", new Uint8Array(MAX_BLOCK_BYTES + 1), /over/],
    ["garbage", Uint8Array.from([0xc1]), /malformed|not a block/],
    ["wrong shape", encodeBlock({ ...block, height: 0 }), /bad height/],
    ["a short parent", encodeBlock({ ...block, parent: "ab" }), /bad parent/],
    ["an upper-case parent", encodeBlock({ ...block, parent: "AB".repeat(32) }), /bad parent/],
    [
      "a non-hex state root",
      encodeBlock({ ...block, stateRoot: "zz".repeat(32) }),
      /bad state root/,
    ],
    ["a missing state root", encodeBlock({ ...block, stateRoot: "" }), /bad state root/],
    ["six fields", legacyPackr.pack(["c", 3, 1000, "p", "ab".repeat(32), []]), /not a block/],
    ["a 1.0.0 block with a bad height", legacyPackr.pack(["c", 0, 1000, "p", []]), /bad height/],
    [
      "a 1.0.0 block with a bad transaction list",
      legacyPackr.pack(["c", 3, 1000, "p", "x"]),
      /bad transaction list/,
    ],
  ])("refuses %s", (_name, input, reason) => {
    expect(() => decodeBlock(input)).toThrow(reason);
  });

  it("reads a block consensus 1.0.0 decided (no parent, no root) and encodes it to the same bytes", () => {
    // The five-field layout as 1.0.0 wrote it: what its logs and commits hold.
    const old = legacyPackr.pack(["c", 3, 1000, "p", [Uint8Array.from([7])]]);
    const back = decodeBlock(old);
    expect(back.parent).toBeUndefined();
    expect(back.stateRoot).toBeUndefined();
    expect([back.chainId, back.height, back.time, back.proposer]).toEqual(["c", 3, 1000, "p"]);
    expect([...(back.txs[0] as Uint8Array)]).toEqual([7]);
    expect(isLinked(back)).toBe(false);
    expect(blockId(encodeBlock(back))).toBe(blockId(old));
    expect(isLinked(decodeBlock(encodeBlock(block)))).toBe(true);
  });

  it("refuses to encode a block with a parent and no root", () => {
    const { stateRoot: _, ...halfLinked } = block;
    expect(() => encodeBlock(halfLinked)).toThrow(/without/);
  });
});

describe("wellFormed (a proposal as validators judge it)", () => {
  const state = { args: { chain: { chainId: "c" } } } as unknown as ChainState;
  const judge = (bytes: Uint8Array) => wellFormed(state, bytes, 3, "p", blockId(bytes));

  it("takes a linked block for its height and proposer", () => {
    expect(judge(encodeBlock({ ...block, txs: [] }))?.height).toBe(3);
  });

  it("refuses the unlinked layout of consensus 1.0.0: nothing is voted for without links", () => {
    expect(judge(legacyPackr.pack(["c", 3, 1000, "p", []]))).toBeUndefined();
  });

  it("refuses another chain, height or proposer, and an id that is not the hash", () => {
    const bytes = encodeBlock({ ...block, txs: [] });
    expect(judge(encodeBlock({ ...block, chainId: "d", txs: [] }))).toBeUndefined();
    expect(wellFormed(state, bytes, 4, "p", blockId(bytes))).toBeUndefined();
    expect(wellFormed(state, bytes, 3, "q", blockId(bytes))).toBeUndefined();
    expect(wellFormed(state, bytes, 3, "p", "0".repeat(64))).toBeUndefined();
  });
});
