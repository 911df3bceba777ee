import { describe, expect, it } from "vitest";
import { formatStatus } from "../../../../../src/cli/commands/tx/formatStatus";

describe("formatStatus()", () => {
  it.each([
    [{ state: "unknown" } as const, "unknown to this node"],
    [{ state: "pending" } as const, "pending"],
    [{ state: "ordered", height: 4, index: 2 } as const, "ordered at height 4, index 2"],
    [
      { state: "executed", height: 4, index: 0, ok: true } as const,
      "executed at height 4, index 0",
    ],
    [
      { state: "committed", height: 7, index: 1, ok: true } as const,
      "committed at height 7, index 1",
    ],
    [
      { state: "committed", height: 7, index: 1, ok: false, error: "cas mismatch" } as const,
      "committed at height 7, index 1, failed: cas mismatch",
    ],
  ])("describes %j as %j", (status, text) => {
    expect(formatStatus(status)).toBe(text);
  });
});
