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
});
