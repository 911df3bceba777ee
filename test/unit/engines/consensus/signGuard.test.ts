import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ConsensusMessage,
  type ConsensusValue,
  type SavedState,
  type Signed,
  type SignedVote,
  signBytes,
} from "../../../../src/consensus";
import { blockId } from "../../../../src/engines";
import { type StateBefore120, withSignRecord } from "../../../../src/engines/consensus/chainState";
import {
  guardVerdict,
  loadSignRecord,
  savedAt,
  saveSignRecord,
} from "../../../../src/engines/consensus/signGuard";
import {
  encodeSignRecord,
  MAX_SIGN_RECORD_BYTES,
  type SignRecord,
} from "../../../../src/engines/consensus/signRecord";
import { tempDir } from "../../../support/tempDir";
import { fixture } from "../../consensus/fixtures";

const fx = fixture([1, 1, 1, 1], "c0");
// At height 5, round 0's proposer is validator (5 + 0) mod 4 = 1.
const self = fx.ids[1] as string;
const key = fx.keys[1] as NonNullable<(typeof fx.keys)[number]>;

function blockValue(text: string): ConsensusValue {
  const block = new Uint8Array(Buffer.from(text));
  return { id: blockId(block), block };
}
const A = blockValue("block a");
const B = blockValue("block b");

function signed(m: ConsensusMessage, by = key): Signed {
  return { message: m, signature: by.sign(signBytes(m)) };
}
const vote = (
  type: "prevote" | "precommit",
  round: number,
  valueId: string | null,
  voter = self,
): ConsensusMessage => ({ type, chainId: "c0", height: 5, round, valueId, voter });
const proposal = (round: number, value: ConsensusValue) =>
  ({
    type: "proposal",
    chainId: "c0",
    height: 5,
    round,
    value,
    validRound: -1,
    proposer: self,
  }) as ConsensusMessage;

const lockedOnA: SavedState = {
  last: signed(vote("precommit", 0, A.id)),
  earlier: [signed(proposal(0, A)), signed(vote("prevote", 0, A.id))],
  lockedRound: 0,
  lockedValue: A,
  validRound: 0,
  validValue: A,
  validProof: [0, 1, 2].map(
    (i) => signed(vote("prevote", 0, A.id, fx.ids[i]), fx.keys[i]) as SignedVote,
  ),
};

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function recordFile(): string {
  const d = tempDir("anode-sign-");
  dirs.push(d);
  return join(d.path, "consensus-c0.signed");
}
const load = (file: string) => loadSignRecord(file, fx.chain, self);

describe("the write-ahead record (signGuard)", () => {
  it("saves the last message, lock and valid value, and reads them back after a restart", () => {
    const file = recordFile();
    const saved: SavedState = { ...lockedOnA, last: signed(proposal(0, B)), validValue: B };
    saveSignRecord(file, "c0", saved);
    expect(load(file)).toEqual({ kind: "saved", saved });
    // Each block once: A (the lock, the earlier proposal) and B (the last proposal).
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).blocks).sort()).toEqual(
      [A.id, B.id].sort(),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      format: "anode-consensus-signed/2",
      chainId: "c0",
      height: 5,
      round: 0,
      step: "proposal",
    });
    // The temporary file is renamed over, never left behind.
    expect(readdirSync(join(file, ".."))).toEqual(["consensus-c0.signed"]);
  });

  it("no file means nothing was signed", () => {
    expect(load(recordFile())).toEqual({ kind: "none" });
    expect(guardVerdict({ kind: "none" }, vote("prevote", 0, null))).toBe("sign");
  });

  it("signs only after the last position, re-sends the same message, refuses another one there", () => {
    const record: SignRecord = { kind: "saved", saved: lockedOnA };
    expect(guardVerdict(record, vote("precommit", 0, A.id))).toBe("resend");
    expect(guardVerdict(record, vote("precommit", 0, null))).toBe("refuse");
    expect(guardVerdict(record, vote("prevote", 0, A.id))).toBe("refuse");
    expect(guardVerdict(record, vote("prevote", 1, null))).toBe("sign");
    expect(savedAt(record, 5)).toBe(lockedOnA);
    expect(savedAt(record, 6)).toBeUndefined();
  });

  it("reads a format-1 record (the position only) as sealing its height", () => {
    const file = recordFile();
    writeFileSync(file, JSON.stringify({ height: 5, round: 2, rank: 1 }));
    const record = load(file);
    expect(record).toEqual({ kind: "sealed", height: 5 });
    expect(guardVerdict(record, vote("precommit", 9, null))).toBe("refuse");
    expect(guardVerdict(record, { ...vote("prevote", 0, null), height: 6 })).toBe("sign");
    expect(savedAt(record, 5)).toBeUndefined();
  });

  it("takes an operator's sealed record (the documented recovery)", () => {
    const file = recordFile();
    writeFileSync(
      file,
      JSON.stringify({
        format: "anode-consensus-signed/2",
        chainId: "c0",
        height: 7,
        sealed: true,
      }),
    );
    expect(load(file)).toEqual({ kind: "sealed", height: 7 });
  });

  const good = () => JSON.parse(encodeSignRecord("c0", lockedOnA)) as Record<string, unknown>;
  const other = fx.keys[2] as typeof key;
  it.each<[string, () => string, RegExp]>([
    ["empty (a crash mid-write of format 1)", () => "", /not JSON/],
    ["truncated", () => encodeSignRecord("c0", lockedOnA).slice(0, 80), /not JSON/],
    ["an array", () => "[]", /not a JSON object/],
    ["of an unknown format", () => JSON.stringify({ ...good(), format: "x/9" }), /unknown format/],
    ["of another chain", () => JSON.stringify({ ...good(), chainId: "c1" }), /chain c1/],
    [
      "with a position that is not the message's",
      () => JSON.stringify({ ...good(), round: 3 }),
      /position/,
    ],
    [
      "with a signature that does not verify",
      () =>
        encodeSignRecord("c0", {
          ...lockedOnA,
          last: { ...lockedOnA.last, signature: new Uint8Array(64) },
        }),
      /bad-signature/,
    ],
    [
      "signed by another node",
      () =>
        encodeSignRecord("c0", {
          ...lockedOnA,
          last: signed(vote("prevote", 0, null, fx.ids[2]), other),
        }),
      /another node/,
    ],
    [
      "with a block that does not hash to its id",
      () => JSON.stringify({ ...good(), blocks: { [A.id]: "AAAA" } }),
      /block table/,
    ],
    [
      "with a locked value whose block is not in it",
      () => JSON.stringify({ ...good(), lockedValue: { id: B.id } }),
      /saved value/,
    ],
    ["with a bad round", () => JSON.stringify({ ...good(), validRound: -2 }), /round/],
    [
      "with a bad base64 signature",
      () =>
        JSON.stringify({ ...good(), signed: { ...(good().signed as object), signature: "%%" } }),
      /signature encoding/,
    ],
  ])("a record %s is broken, and refuses every signature", (_, text, reason) => {
    const file = recordFile();
    writeFileSync(file, text());
    const record = load(file);
    expect(record.kind).toBe("broken");
    expect(record.kind === "broken" ? record.reason : "").toMatch(reason);
    expect(guardVerdict(record, { ...vote("prevote", 0, null), height: 1_000_000 })).toBe("refuse");
  });

  it("a record over the size limit is broken without being parsed", () => {
    const file = recordFile();
    writeFileSync(file, " ".repeat(MAX_SIGN_RECORD_BYTES + 1));
    expect(load(file)).toMatchObject({ kind: "broken", reason: expect.stringMatching(/limit/) });
  });

  it("a record that cannot be written throws, so the signature is not sent", () => {
    const file = join(recordFile(), "..", "missing", "consensus-c0.signed");
    expect(() => saveSignRecord(file, "c0", lockedOnA)).toThrow(/ENOENT/);
    expect(existsSync(file)).toBe(false);
  });
});

describe("withSignRecord (a 1.1.0 state swapped to 1.2.0)", () => {
  const prevotes = new Map(lockedOnA.validProof.map((p) => [p.message.voter, [p]]));
  const core = {
    height: 5,
    lockedRound: 0,
    lockedValue: A,
    validRound: 0,
    validValue: A,
    rounds: new Map([[0, { prevotes }]]),
  };
  let file = "";
  const stateOf = (last: unknown, own: Signed[], height = 5) =>
    ({
      args: { guard: { file, last }, chain: fx.chain, identity: { id: self } },
      own,
      core: { ...core, height },
    }) as unknown as StateBefore120;

  it("makes the record whole from the messages of the height and the core's lock", () => {
    const own = [...lockedOnA.earlier, lockedOnA.last];
    const s = withSignRecord(stateOf({ height: 5, round: 0, rank: 2 }, own));
    expect(s.record).toEqual({ kind: "saved", saved: lockedOnA });
  });

  it("seals the position's height when the message is no longer in memory", () => {
    const s = withSignRecord(stateOf({ height: 4, round: 1, rank: 1 }, [], 5));
    expect(s.record).toEqual({ kind: "sealed", height: 4 });
  });

  it("a guard that never signed reads the file: none when there is none, broken when unreadable", () => {
    file = recordFile();
    expect(withSignRecord(stateOf(undefined, [])).record).toEqual({ kind: "none" });
    writeFileSync(file, "{");
    expect(withSignRecord(stateOf(undefined, [])).record).toMatchObject({ kind: "broken" });
  });
});
