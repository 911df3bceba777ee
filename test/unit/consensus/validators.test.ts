import { describe, expect, it } from "vitest";
import {
  createValidatorSet,
  defaultTimeoutOptions,
  exceedsOneThird,
  isQuorum,
  MAX_TOTAL_POWER,
  proposerOf,
  timeoutDuration,
} from "../../../src/consensus";
import { fixture, identity } from "./fixtures";

describe("createValidatorSet()", () => {
  it("sorts by id and sums the power", () => {
    const keys = [0, 1, 2].map(identity);
    const set = createValidatorSet(
      keys.map((k, i) => ({ id: k.id, publicKey: k.publicKey, power: i + 1 })),
    );
    expect(set.validators.map((v) => v.id)).toEqual(keys.map((k) => k.id).sort());
    expect(set.totalPower).toBe(6);
    expect(set.byId.get(keys[2]?.id as string)?.power).toBe(3);
  });

  const k0 = identity(0);
  const k1 = identity(1);
  it.each([
    { name: "an empty set", list: [], reason: /expected 1 to/ },
    {
      name: "a duplicate id",
      list: [
        { id: k0.id, publicKey: k0.publicKey, power: 1 },
        { id: k0.id, publicKey: k0.publicKey, power: 2 },
      ],
      reason: /duplicate/,
    },
    {
      name: "zero power",
      list: [{ id: k0.id, publicKey: k0.publicKey, power: 0 }],
      reason: /power 0/,
    },
    {
      name: "fractional power",
      list: [{ id: k0.id, publicKey: k0.publicKey, power: 1.5 }],
      reason: /power/,
    },
    {
      name: "an id not derived from the key",
      list: [{ id: k0.id, publicKey: k1.publicKey, power: 1 }],
      reason: /does not match/,
    },
    {
      name: "an overlong id",
      list: [{ id: "x".repeat(200), publicKey: k0.publicKey, power: 1 }],
      reason: /too long/,
    },
    {
      name: "a total power past the exact range",
      list: [
        { id: k0.id, publicKey: k0.publicKey, power: MAX_TOTAL_POWER },
        { id: k1.id, publicKey: k1.publicKey, power: 1 },
      ],
      reason: /total power/,
    },
  ])("refuses $name", ({ list, reason }) => {
    expect(() => createValidatorSet(list)).toThrow(reason);
    expect(() => createValidatorSet(list)).toThrow(
      expect.objectContaining({ code: "CONSENSUS_VALIDATOR_SET_INVALID" }),
    );
  });
});

describe("quorum math", () => {
  it.each([
    // total, power, more than 2/3?, more than 1/3?
    [4, 2, false, true],
    [4, 3, true, true],
    [4, 1, false, false],
    [3, 2, false, true],
    [3, 3, true, true],
    [7, 4, false, true],
    [7, 5, true, true],
    [7, 2, false, false],
    [7, 3, false, true],
    [100, 66, false, true],
    [100, 67, true, true],
    [100, 33, false, false],
    [100, 34, false, true],
    [MAX_TOTAL_POWER, Math.floor((MAX_TOTAL_POWER * 2) / 3) + 1, true, true],
  ])("total %i: power %i quorum=%s, over a third=%s", (total, power, quorum, third) => {
    expect(isQuorum(power, total)).toBe(quorum);
    expect(exceedsOneThird(power, total)).toBe(third);
  });

  it("with unequal powers one validator can hold a third or a quorum alone", () => {
    const { chain } = fixture([1, 1, 1, 7]);
    const heavy = chain.validators.validators[3]?.power as number;
    expect(isQuorum(heavy, chain.validators.totalPower)).toBe(true);
    expect(exceedsOneThird(3, chain.validators.totalPower)).toBe(false);
  });
});

describe("proposerOf()", () => {
  it("rotates round-robin over the sorted set at (height + round) mod n", () => {
    const { chain, ids } = fixture([1, 1, 1, 1]);
    const table = [
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 3, 0],
      [5, 2, 3],
      [2 ** 40, 0, 0],
    ] as const;
    for (const [height, round, index] of table) {
      expect(proposerOf(chain.validators, height, round)).toBe(ids[index]);
    }
  });

  it("gives every validator one turn per n rounds, whatever its power", () => {
    const { chain, ids } = fixture([1, 10, 1, 1, 1, 1, 1]);
    const turns = Array.from({ length: 7 }, (_, r) => proposerOf(chain.validators, 9, r));
    expect(new Set(turns)).toEqual(new Set(ids));
  });
});

describe("timeoutDuration()", () => {
  it.each([
    ["propose", 0, 3000],
    ["propose", 4, 5000],
    ["prevote", 0, 1000],
    ["prevote", 3, 2500],
    ["precommit", 10, 6000],
  ] as const)("%s at round %i lasts %i ms by default", (kind, round, ms) => {
    expect(timeoutDuration(defaultTimeoutOptions, kind, round)).toBe(ms);
  });
});
