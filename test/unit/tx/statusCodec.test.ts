import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { decodeStatus, encodeStatus, type TxStatus } from "../../../src/tx";
import { txErrorOf } from "./txErrorOf";

const plain = new Packr({ useRecords: false, mapsAsObjects: true });

describe("encodeStatus and decodeStatus", () => {
  it.each<TxStatus>([
    { state: "pending" },
    { state: "ordered", height: 3, index: 0 },
    { state: "executed", height: 3, index: 1, ok: true },
    { state: "executed", height: 3, index: 2, ok: false, error: "compare-and-set failed" },
    { state: "committed", height: 9, index: 4, ok: true },
    { state: "committed", height: 9, index: 5, ok: false, error: "Cannot increment" },
  ])("round-trips $state", (status) => {
    expect(decodeStatus(encodeStatus(status))).toEqual(status);
  });

  it("writes fields in one order whatever order the status was built in", () => {
    const a = encodeStatus({
      index: 1,
      ok: false,
      error: "e",
      height: 2,
      state: "executed",
    } as TxStatus);
    const b = encodeStatus({ state: "executed", height: 2, index: 1, ok: false, error: "e" });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("drops fields that do not belong to the state", () => {
    const status = { state: "ordered", height: 1, index: 2, ok: true } as TxStatus;
    expect(decodeStatus(encodeStatus(status))).toEqual({ state: "ordered", height: 1, index: 2 });
  });

  it.each<[string, unknown, string]>([
    ["a string", "pending", "not a map"],
    ["an unknown state", { state: "lost", height: 1, index: 1 }, "of an unknown state"],
    ["a negative height", { state: "ordered", height: -1, index: 0 }, "missing its position"],
    ["a missing index", { state: "ordered", height: 1 }, "missing its position"],
    ["an outcome without ok", { state: "executed", height: 1, index: 0 }, "missing its outcome"],
    [
      "a failure without error",
      { state: "committed", height: 1, index: 0, ok: false },
      "missing its outcome",
    ],
  ])("reports %s as corrupt", (_name, stored, reason) => {
    const err = txErrorOf(() => decodeStatus(plain.pack(stored)));
    expect(err.type).toEqual({ code: "TX_CORRUPT", record: "status", reason });
  });

  it("reports undecodable bytes as corrupt", () => {
    const err = txErrorOf(() => decodeStatus(new Uint8Array([0x82])));
    expect(err.type).toEqual({ code: "TX_CORRUPT", record: "status", reason: "not valid msgpack" });
  });
});
