import { describe, expect, it } from "vitest";
import {
  applyChange,
  changeSigningBytes,
  ed25519Verifier,
  encodeSchedule,
  parseChange,
  parseSchedule,
  type ValidatorChange,
  type ValidatorSchedule,
  validatorsAt,
} from "../../../src/consensus";
import type { NodeIdentity } from "../../../src/p2p";
import { CHAIN, fixture, identity } from "./fixtures";

const b64 = (k: NodeIdentity) => Buffer.from(k.publicKey).toString("base64");

/** A change signed by `signers` (indexes into the fixture's sorted keys). */
function signed(
  f: ReturnType<typeof fixture>,
  body: Omit<ValidatorChange, "signatures">,
  signers: number[],
): ValidatorChange {
  const bytes = changeSigningBytes(body);
  return {
    ...body,
    signatures: signers.map((i) => {
      const k = f.keys[i] as NodeIdentity;
      return { id: k.id, signature: Buffer.from(k.sign(bytes)).toString("base64") };
    }),
  };
}

describe("validator changes (multi-signature, effective two heights later)", () => {
  const f = fixture([1, 1, 1, 1]);
  const newcomer = identity(9);
  const body = {
    chainId: CHAIN,
    number: 1,
    add: [{ id: newcomer.id, publicKey: b64(newcomer), power: 2 }],
    remove: [f.ids[3] as string],
  };
  const apply = (change: ValidatorChange, stored?: ValidatorSchedule, height = 10) =>
    applyChange({
      change,
      stored,
      genesis: f.chain.validators,
      chainId: CHAIN,
      height,
      verifier: ed25519Verifier,
    });

  it("takes a change signed by more than two thirds of the power, in effect from height + 2", () => {
    const next = apply(signed(f, body, [0, 1, 2]));
    if (typeof next === "string") throw new Error(next);
    expect(next.changes).toBe(1);
    // Heights 10 and 11 still vote with the configured set; 12 on with the new one.
    for (const h of [10, 11])
      expect(validatorsAt(next, f.chain.validators, h)).toEqual(f.chain.validators);
    const at12 = validatorsAt(next, f.chain.validators, 12);
    expect(at12.byId.has(newcomer.id)).toBe(true);
    expect(at12.byId.has(f.ids[3] as string)).toBe(false);
    expect(at12.totalPower).toBe(5);
    // What is stored reads back the same, and is checked when read.
    expect(parseSchedule(encodeSchedule(next))).toEqual(next);
  });

  it("refuses too little power, strangers, forged and doubled signatures, naming why", () => {
    expect(apply(signed(f, body, [0, 1]))).toBe(
      "the change is signed by 2 of 4 voting power; it needs more than two thirds",
    );
    const forged = signed(f, body, [0, 1, 2]);
    (forged.signatures[2] as { signature: string }).signature = forged.signatures[1]
      ?.signature as string;
    expect(apply(forged)).toBe(`the signature of ${f.ids[2]} does not verify`);
    const twice = signed(f, body, [0, 1, 1]);
    expect(apply(twice)).toBe(`${f.ids[1]} signed the change twice`);
    const stranger = signed(f, body, [0, 1, 2]);
    stranger.signatures.push({ id: newcomer.id, signature: "AAAA" });
    expect(apply(stranger)).toBe(
      `${newcomer.id} signed the change but is not a validator at height 10`,
    );
    // Signatures over another body do not carry over.
    const moved = { ...signed(f, body, [0, 1, 2]), remove: [f.ids[2] as string] };
    expect(apply(moved)).toMatch(/does not verify/);
  });

  it("is applied once, one at a time, on its own chain, and never leaves an invalid set", () => {
    const first = apply(signed(f, body, [0, 1, 2]));
    if (typeof first === "string") throw new Error(first);
    expect(apply(signed(f, body, [0, 1, 2]), first, 11)).toBe(
      "another validator change takes effect at height 12; wait until then",
    );
    expect(apply(signed(f, body, [0, 1, 2]), first, 12)).toBe(
      `the change is number 1, but the next change of ${CHAIN} is number 2`,
    );
    expect(apply(signed(f, { ...body, chainId: "other" }, [0, 1, 2]))).toBe(
      `the change is for chain other, not ${CHAIN}`,
    );
    expect(apply(signed(f, { ...body, remove: ["nobody"] }, [0, 1, 2]))).toBe(
      "cannot remove nobody: it is not a validator",
    );
    const all = { ...body, add: [], remove: [...f.ids] };
    expect(apply(signed(f, all, [0, 1, 2]))).toMatch(/^the new validator set would be invalid/);
    const badKey = { ...body, add: [{ id: newcomer.id, publicKey: b64(identity(8)), power: 1 }] };
    expect(apply(signed(f, badKey, [0, 1, 2]))).toMatch(/does not match its public key/);
    // The second change is judged by the set the first put in place.
    const at12 = validatorsAt(first, f.chain.validators, 12);
    const second = { chainId: CHAIN, number: 2, add: [], remove: [f.ids[0] as string] };
    const bytes = changeSigningBytes(second);
    const by = [f.keys[1], f.keys[2], newcomer] as NodeIdentity[];
    const change: ValidatorChange = {
      ...second,
      signatures: by.map((k) => ({
        id: k.id,
        signature: Buffer.from(k.sign(bytes)).toString("base64"),
      })),
    };
    expect(at12.totalPower).toBe(5);
    const next = apply(change, first, 12);
    if (typeof next === "string") throw new Error(next);
    expect(next.sets.map((s) => s.from)).toEqual([12, 14]);
    expect(
      validatorsAt(next, f.chain.validators, 14)
        .validators.map((v) => v.id)
        .sort(),
    ).toEqual([f.ids[1], f.ids[2], newcomer.id].sort());
  });

  it("parses only well-formed changes from untrusted bytes", () => {
    const ok = JSON.stringify(signed(f, body, [0]));
    expect(typeof parseChange(ok)).toBe("object");
    for (const [text, why] of [
      [42, "a validator change is a JSON string"],
      ["{", "a validator change must be JSON"],
      ["null", "a validator change must be an object"],
      [
        JSON.stringify({ ...JSON.parse(ok), extra: 1 }),
        'a validator change has an unknown field "extra"',
      ],
      [JSON.stringify({ ...JSON.parse(ok), number: 0 }), "number must be a positive integer"],
      [
        JSON.stringify({ ...JSON.parse(ok), add: [], remove: [] }),
        "a validator change must add or remove someone",
      ],
      [
        JSON.stringify({ ...JSON.parse(ok), add: [{ id: "x" }] }),
        "each of add must be {id, publicKey, power}",
      ],
      [
        JSON.stringify({ ...JSON.parse(ok), remove: [newcomer.id] }),
        "a validator is named twice in the change",
      ],
      [
        JSON.stringify({ ...JSON.parse(ok), signatures: [{ id: 1 }] }),
        "each of signatures must be {id, signature}",
      ],
    ] as const)
      expect(parseChange(text), String(text)).toBe(why);
  });

  it("refuses a stored schedule that is not one, rather than guessing a set", () => {
    expect(parseSchedule(5)).toMatch(/is not a string/);
    expect(parseSchedule("[")).toMatch(/is not JSON/);
    expect(parseSchedule(JSON.stringify({ changes: 1, sets: [] }))).toMatch(/does not hold/);
    expect(
      parseSchedule(JSON.stringify({ changes: 1, sets: [{ from: 3, validators: [] }] })),
    ).toMatch(/holds a bad set/);
    expect(parseSchedule("x".repeat(1_000_000))).toMatch(/is over/);
  });
});
