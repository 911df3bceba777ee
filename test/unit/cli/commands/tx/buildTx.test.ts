import { describe, expect, it } from "vitest";
import { CliError } from "../../../../../src/cli/cliError";
import { buildTx } from "../../../../../src/cli/commands/tx/buildTx";
import { EXIT } from "../../../../../src/cli/exitCodes";

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exit).toBe(EXIT.USAGE);
    return err as CliError;
  }
  throw new Error("expected buildTx() to throw");
}

describe("buildTx()", () => {
  it("builds puts, deletes and increments in that order, declaring reads and writes", () => {
    const tx = buildTx({
      incr: ["n", "m=5"],
      delete: ["gone"],
      put: ["a=1", "b=x=y"],
      nonce: "fixed",
    });
    expect(tx).toEqual({
      kind: "kv",
      reads: ["n", "m"],
      writes: ["a", "b", "gone", "n", "m"],
      ops: [
        { op: "put", key: "a", value: "1" },
        { op: "put", key: "b", value: "x=y" },
        { op: "delete", key: "gone" },
        { op: "increment", key: "n" },
        { op: "increment", key: "m", by: 5 },
      ],
      nonce: "fixed",
    });
  });

  it("keeps an empty value and a negative increment", () => {
    const tx = buildTx({ put: ["k="], incr: ["c=-3"], nonce: "n" });
    expect(tx.ops).toEqual([
      { op: "put", key: "k", value: "" },
      { op: "increment", key: "c", by: -3 },
    ]);
  });

  it("declares a key written twice only once", () => {
    const tx = buildTx({ put: ["k=1"], incr: ["k"], nonce: "n" });
    expect(tx.writes).toEqual(["k"]);
    expect(tx.reads).toEqual(["k"]);
  });

  it("adds a random 16-hex-digit nonce unless one is given, so two builds differ", () => {
    const a = buildTx({ put: ["k=v"] });
    const b = buildTx({ put: ["k=v"] });
    expect(a.nonce).toMatch(/^[0-9a-f]{16}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it("refuses a transaction with no ops", () => {
    expect(usageError(() => buildTx({})).message).toContain("nothing to submit");
    expect(usageError(() => buildTx({ put: [], nonce: "n" })).code).toBe("CLI_BAD_TX");
  });

  it.each([["novalue"], ["=v"]])("refuses --put %s without a key=value", (raw) => {
    expect(usageError(() => buildTx({ put: [raw] })).message).toBe(
      `Cannot build transaction: --put ${raw}: expected key=value`,
    );
  });

  it("refuses --delete with an empty key", () => {
    expect(usageError(() => buildTx({ delete: [""] })).message).toContain("--delete needs a key");
  });

  it.each([["=2"], ["k=abc"], ["k=1.5"], [""]])("refuses --incr %j", (raw) => {
    expect(usageError(() => buildTx({ incr: [raw] })).message).toContain(
      "expected key or key=integer",
    );
  });
});
