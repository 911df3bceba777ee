import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";

const n = useCliNode();

/** Commits one transaction from a file body and returns its block height. */
async function commit(tx: unknown): Promise<number> {
  const file = join(n().dataDir, "tx.json");
  writeFileSync(file, JSON.stringify(tx));
  const r = await cli([...n().flags, "--json", "tx", "submit", "--file", file, "--wait"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { status: { height: number } }).status.height;
}

const put = (key: string, value: unknown) => ({
  kind: "kv",
  reads: [],
  writes: [key],
  ops: [{ op: "put", key, value }],
});

describe("anode state get", () => {
  let height = 0;
  beforeAll(async () => {
    height = await commit(put("greeting", "hello"));
    await commit(put("n", 42));
    await commit(put("blob", { $bytes: Buffer.from("hi!").toString("base64") }));
    await commit(put("a/b c", "odd key"));
  });

  it("prints a string value as it is", async () => {
    const r = await cli([...n().flags, "state", "get", "greeting"]);
    expect(r).toEqual({ code: 0, stdout: "hello\n", stderr: "" });
  });

  it("prints other values as JSON, bytes as { $bytes }", async () => {
    expect((await cli([...n().flags, "state", "get", "n"])).stdout).toBe("42\n");
    const blob = await cli([...n().flags, "--json", "state", "get", "blob"]);
    expect(JSON.parse(blob.stdout)).toMatchObject({
      key: "blob",
      found: true,
      value: { $bytes: Buffer.from("hi!").toString("base64") },
    });
  });

  it("reads a key that needs escaping in a URL", async () => {
    const r = await cli([...n().flags, "state", "get", "a/b c"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("odd key\n");
  });

  it("--json prints key, height, found and value", async () => {
    const r = await cli([...n().flags, "--json", "state", "get", "greeting"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      key: "greeting",
      at: expect.any(Number),
      found: true,
      value: "hello",
    });
  });

  it("exits 5 for an absent key, saying so on stderr", async () => {
    const r = await cli([...n().flags, "state", "get", "nothing-here"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^nothing-here: absent at height \d+\n$/);
  });

  it("--at reads the value as of a past height", async () => {
    const before = await cli([
      ...n().flags,
      "state",
      "get",
      "greeting",
      "--at",
      String(height - 1),
    ]);
    expect(before.code).toBe(EXIT.NOT_FOUND);
    expect(before.stderr).toBe(`greeting: absent at height ${height - 1}\n`);
    const at = await cli([
      ...n().flags,
      "--json",
      "state",
      "get",
      "greeting",
      "--at",
      String(height),
    ]);
    expect(at.code).toBe(0);
    expect(JSON.parse(at.stdout)).toEqual({
      key: "greeting",
      at: height,
      found: true,
      value: "hello",
    });
  });

  it("--at a future height with --timeout exits 6 with a clear message", async () => {
    const started = Date.now();
    const r = await cli([
      ...n().flags,
      "state",
      "get",
      "greeting",
      "--at",
      "1000000",
      "--timeout",
      "150",
    ]);
    expect(r.code).toBe(EXIT.TIMEOUT);
    expect(r.stderr).toMatch(
      /^anode: Cannot read "greeting" at height 1000000: the store is still at height \d+ after 150 ms\n$/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("refuses a --timeout over the limit with exit 2", async () => {
    const r = await cli([...n().flags, "state", "get", "k", "--timeout", "120001"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("expected an integer from 0 to 120000");
  });
});
