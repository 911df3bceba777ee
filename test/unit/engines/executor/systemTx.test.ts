import { describe, expect, it } from "vitest";
import { changeSigningBytes, parseSchedule } from "../../../../src/consensus";
import { executeSystem } from "../../../../src/engines/executor/systemTx";
import { type KvTx, parseTx, VALIDATORS_KEY } from "../../../../src/tx";
import { CHAIN, fixture, identity } from "../../consensus/fixtures";

const LIMITS = { maxTxBytes: 65_536 };

const f = fixture([1, 1, 1]);
const chain = { chainId: CHAIN, genesis: f.chain.validators };
const newcomer = identity(7);

function changeTx(signers: number[]): KvTx {
  const body = {
    chainId: CHAIN,
    number: 1,
    add: [
      { id: newcomer.id, publicKey: Buffer.from(newcomer.publicKey).toString("base64"), power: 1 },
    ],
    remove: [],
  };
  const bytes = changeSigningBytes(body);
  const signatures = signers.map((i) => ({
    id: f.ids[i] as string,
    signature: Buffer.from((f.keys[i] as (typeof f.keys)[number]).sign(bytes)).toString("base64"),
  }));
  return parseTx(
    {
      kind: "kv",
      reads: [VALIDATORS_KEY],
      writes: [VALIDATORS_KEY],
      ops: [{ op: "put", key: VALIDATORS_KEY, value: JSON.stringify({ ...body, signatures }) }],
    },
    LIMITS,
  );
}

describe("a block's validator change, as the executor runs it", () => {
  it("writes the new schedule when signed by enough validators, and says why not otherwise", () => {
    const none = () => undefined;
    const ok = executeSystem(changeTx([0, 1, 2]), none, 5, chain);
    if (!ok.ok) throw new Error(ok.error);
    const written = ok.writes[0];
    expect(written?.key).toBe(VALIDATORS_KEY);
    const schedule = parseSchedule(written?.value);
    expect(typeof schedule === "object" && schedule.sets.map((s) => s.from)).toEqual([0, 7]);
    expect(executeSystem(changeTx([0, 1]), none, 5, chain)).toEqual({
      ok: false,
      op: 0,
      error: "the change is signed by 2 of 3 voting power; it needs more than two thirds",
    });
    expect(executeSystem(changeTx([0, 1, 2]), none, 5, undefined)).toMatchObject({
      ok: false,
      error: "this chain has no validators to change: it runs without consensus",
    });
    expect(executeSystem(changeTx([0, 1, 2]), () => "junk", 5, chain)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the stored validator schedule is unusable/),
    });
  });

  it("refuses, from a block built elsewhere, any other write under anode/", () => {
    const forged: KvTx = {
      kind: "kv",
      reads: [],
      writes: [VALIDATORS_KEY],
      ops: [{ op: "delete", key: VALIDATORS_KEY }],
    };
    expect(executeSystem(forged, () => undefined, 5, chain)).toMatchObject({ ok: false });
  });
});

describe("admission of transactions touching reserved keys", () => {
  it("takes a validator change and reads of anode/ keys, refuses any other write there", () => {
    expect(() => changeTx([0])).not.toThrow();
    expect(() =>
      parseTx(
        {
          kind: "kv",
          reads: [VALIDATORS_KEY],
          writes: ["x"],
          ops: [{ op: "put", key: "x", value: 1 }],
        },
        LIMITS,
      ),
    ).not.toThrow();
    for (const tx of [
      {
        kind: "kv",
        reads: [],
        writes: ["anode/x"],
        ops: [{ op: "put", key: "anode/x", value: "1" }],
      },
      {
        kind: "kv",
        reads: [],
        writes: [VALIDATORS_KEY],
        ops: [{ op: "delete", key: VALIDATORS_KEY }],
      },
      {
        kind: "kv",
        reads: [],
        writes: [VALIDATORS_KEY, "y"],
        ops: [
          { op: "put", key: VALIDATORS_KEY, value: "{}" },
          { op: "put", key: "y", value: 1 },
        ],
      },
    ])
      expect(() => parseTx(tx, LIMITS)).toThrow(
        /may name keys under anode\/ only as one put of anode\/validators/,
      );
    expect(() =>
      parseTx(
        {
          kind: "kv",
          reads: [],
          writes: [VALIDATORS_KEY],
          ops: [{ op: "put", key: VALIDATORS_KEY, value: 5 }],
        },
        LIMITS,
      ),
    ).toThrow(/must be the change as JSON text/);
  });
});
