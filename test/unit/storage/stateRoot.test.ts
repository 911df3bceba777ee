import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  addTerm,
  EMPTY_ROOT,
  rootFromHex,
  rootTerm,
  rootToHex,
  subtractTerm,
} from "../../../src/storage/stateRoot";
import { bytes } from "./helpers";

describe("state root", () => {
  const terms = [
    rootTerm(bytes("a"), bytes("1")),
    rootTerm(bytes("b"), bytes("2")),
    rootTerm(bytes("c"), bytes("")),
  ];
  const [first, second] = terms as [Uint8Array, Uint8Array, Uint8Array];

  it("has 32-byte terms", () => {
    expect(first).toHaveLength(32);
  });

  it("is independent of the order terms are added in", () => {
    const forward = terms.reduce(addTerm, EMPTY_ROOT);
    const backward = [...terms].reverse().reduce(addTerm, EMPTY_ROOT);
    expect(forward).toBe(backward);
  });

  it("subtracting a term undoes adding it, wrapping modulo 2^256", () => {
    const top = (1n << 256n) - 1n;
    expect(subtractTerm(addTerm(top, first), first)).toBe(top);
    expect(addTerm(subtractTerm(EMPTY_ROOT, second), second)).toBe(EMPTY_ROOT);
  });

  it("separates key and value so moving bytes between them changes the term", () => {
    expect(rootTerm(bytes("ab"), bytes("c"))).not.toEqual(rootTerm(bytes("a"), bytes("bc")));
  });

  it("hex form is 64 digits and round-trips", () => {
    expect(rootToHex(EMPTY_ROOT)).toBe("0".repeat(64));
    const root = terms.reduce(addTerm, EMPTY_ROOT);
    expect(rootFromHex(rootToHex(root))).toBe(root);
    expect(rootFromHex("xyz")).toBeUndefined();
  });

  it("is sha256(len(key) ‖ key ‖ value) read as a big-endian number, as stored roots were", () => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(1);
    const digest = createHash("sha256").update(length).update("a").update("1").digest();
    expect(Buffer.from(first)).toEqual(digest);
    expect(rootToHex(addTerm(EMPTY_ROOT, first))).toBe(digest.toString("hex"));
    const all = terms.reduce(addTerm, EMPTY_ROOT);
    const sum = terms.reduce((n, t) => n + BigInt(`0x${Buffer.from(t).toString("hex")}`), 0n);
    expect(all).toBe(sum % (1n << 256n));
  });

  it("refuses a term that is not 32 bytes (a corrupt head index entry)", () => {
    expect(() => addTerm(EMPTY_ROOT, new Uint8Array(31))).toThrow(/32 bytes, not 31/);
    expect(() => subtractTerm(EMPTY_ROOT, new Uint8Array(33))).toThrow(/32 bytes, not 33/);
  });
});
