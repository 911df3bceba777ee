import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { type executeKv, parseTx } from "../../../src/tx";
import { appendOpTree } from "../../support/appendOp";

const dir = mkdtempSync(join(tmpdir(), "anode-append-op-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limits = { maxTxBytes: 64 * 1024 };
const tx = {
  kind: "kv",
  reads: ["greeting"],
  writes: ["greeting"],
  ops: [{ op: "append", key: "greeting", value: " world" }],
};

describe("the append-op source change the activation tests release", () => {
  it("is refused by today's code and committed by code built from the changed tree", async () => {
    expect(() => parseTx(tx, limits)).toThrow(/must be "put", "delete", "increment" or "cas"/);
    const tree = appendOpTree(join(dir, "tree"));
    const out = join(dir, "tx.cjs");
    await build({
      entryPoints: [join(tree, "src/tx/index.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: out,
      logLevel: "silent",
    });
    const next = createRequire(import.meta.url)(out) as {
      parseTx: typeof parseTx;
      executeKv: typeof executeKv;
    };
    const parsed = next.parseTx(tx, limits);
    expect(next.executeKv(parsed, () => "hello")).toEqual({
      ok: true,
      writes: [{ key: "greeting", value: "hello world" }],
    });
    expect(next.executeKv(parsed, () => 7)).toMatchObject({ ok: false });
    // It reads its key, so it must declare it.
    expect(() => next.parseTx({ ...tx, reads: [] }, limits)).toThrow(/reads/);
  });
});
