import { closeSync, fdatasyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { type ConsensusMessage, type SavedState, signBytes } from "../../src/consensus";
import { blockId, MAX_BLOCK_BYTES } from "../../src/engines";
import { saveSignRecord } from "../../src/engines/consensus/signGuard";
import { encodeSignRecord } from "../../src/engines/consensus/signRecord";
import { generateIdentity } from "../../src/p2p";
import { tempDir } from "../support/tempDir";

const SIGNATURES = 400;
const key = generateIdentity(new Uint8Array(32).fill(7));

/** A record as a validator locked on a block of `blockBytes` writes it at its precommit. */
function record(blockBytes: number): SavedState {
  const block = new Uint8Array(blockBytes).fill(1);
  const value = { id: blockId(block), block };
  const vote = (type: "prevote" | "precommit"): ConsensusMessage => ({
    type,
    chainId: "c0",
    height: 9,
    round: 0,
    valueId: value.id,
    voter: key.id,
  });
  const signed = (m: ConsensusMessage) => ({ message: m, signature: key.sign(signBytes(m)) });
  return {
    last: signed(vote("precommit")),
    earlier: [signed(vote("prevote"))],
    lockedRound: 0,
    lockedValue: value,
    validRound: 0,
    validValue: value,
    validProof: [],
  };
}

/** ms per call of `fn`, over SIGNATURES calls. */
function perCall(fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < SIGNATURES; i++) fn(i);
  return (performance.now() - t0) / SIGNATURES;
}

it("the write-ahead record: atomic replace (what signGuard does) against an append-only log, per signature", () => {
  const dir = tempDir("anode-record-bench-");
  try {
    const lines: string[] = [];
    for (const [name, bytes] of [
      ["an empty block", 200],
      ["a 64 KiB block", 64 * 1024],
      ["a full block", MAX_BLOCK_BYTES],
    ] as const) {
      const saved = record(bytes);
      const text = `${encodeSignRecord("c0", saved)}\n`;
      const vote = saved.last.message;
      // Baseline: the ed25519 signature the record guards.
      const sign = perCall(() => key.sign(signBytes(vote)));
      const replace = perCall(() => saveSignRecord(join(dir.path, "a.signed"), "c0", saved));
      // The alternative: append the same record and flush, compacted (truncated) per height.
      const fd = openSync(join(dir.path, "b.log"), "a", 0o600);
      const append = perCall((i) => {
        if (i % 3 === 0) ftruncateSync(fd, 0);
        writeSync(fd, text);
        fdatasyncSync(fd);
      });
      closeSync(fd);
      expect(replace).toBeGreaterThan(0);
      lines.push(
        `${name} (record ${(text.length / 1024).toFixed(1)} KiB): atomic replace ${replace.toFixed(3)} ms ` +
          `= ${(replace / sign).toFixed(0)}× a signature, append-only ${append.toFixed(3)} ms ` +
          `= ${(append / sign).toFixed(0)}×; replace ÷ append ${(replace / append).toFixed(2)}`,
      );
    }
    console.log(`consensus record, per signature:\n  ${lines.join("\n  ")}`);
  } finally {
    dir.remove();
  }
});
