import { afterEach, describe, expect, it, vi } from "vitest";
import { VERSION } from "../../../src/version";
import { waitUntil } from "../../support/waitUntil";

const argv = process.argv;
afterEach(() => {
  process.argv = argv;
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe("main", () => {
  it("runs the command line from process.argv and sets process.exitCode", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    process.argv = [argv[0] ?? "node", "anode", "--version"];
    process.exitCode = undefined;
    await import("../../../src/cli/main");
    await waitUntil(() => process.exitCode !== undefined, "main to set process.exitCode");
    expect(process.exitCode).toBe(0);
    expect(written.join("")).toBe(`${VERSION}\n`);
  });
});
