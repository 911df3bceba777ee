import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultNodeOptions } from "../../src/config";
import { EXECUTOR, MEMPOOL, OPERATOR, UPGRADE } from "../../src/engines";
import { nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { appendOpTree } from "../support/appendOp";
import { useCleanups } from "../support/cleanups";
import { tempDir } from "../support/tempDir";
import { testOptions } from "../support/testNode";
import { eventually } from "../support/testnet";
import { buildRelease, releaseKey } from "../support/upgradeRelease";

/**
 * A hot swap judged by what the code does, not by a version label: the release is built
 * from sources that add a kv op (`append`), so only the new modules can commit it. After
 * the swap the op commits; after a crash of the engines that run it, their supervisors
 * start them again from the module table, and the op still commits.
 */
const cleanup = useCleanups();

type Submitted = Array<{ id?: string; error?: { message: string } }>;

const appendTx = (nonce: string) => ({
  kind: "kv",
  reads: ["greeting"],
  writes: ["greeting"],
  ops: [{ op: "append", key: "greeting", value: "!" }],
  nonce,
});

async function submit(node: AnodeNode, tx: unknown) {
  const [r] = (await node.router.call(
    { engine: MEMPOOL },
    { type: "submit", txs: [tx] },
  )) as Submitted;
  return r as Submitted[number];
}

async function committed(node: AnodeNode, id: string) {
  return (await node.router.call(
    { engine: MEMPOOL },
    { type: "status", id, wait: true },
    10_000,
  )) as {
    state: string;
    ok?: boolean;
    error?: string;
  };
}

async function read(node: AnodeNode, key: string) {
  return (
    (await node.router.call({ engine: "storage" }, { type: "read", key })) as { value?: unknown }
  ).value;
}

describe("a hot-swapped release, judged by behaviour", () => {
  it("commits the op only the new code knows, and still does after its engines crash and restart", async () => {
    const dir = tempDir("anode-swap-behaviour-");
    cleanup(() => dir.remove());
    const key = releaseKey(dir.path);
    const manifestFile = await buildRelease(dir.path, {
      version: "0.2.0",
      fixture: "app",
      key,
      from: appendOpTree(join(dir.path, "tree")),
    });
    const base = await testOptions(join(dir.path, "data"));
    const node = await AnodeNode.create(
      {
        ...base,
        upgrade: { ...defaultNodeOptions.upgrade, trustedKeys: key.trust, healthWindowMs: 500 },
      },
      { log: nullLogger },
    );
    cleanup(() => node.close());

    const put = await submit(node, {
      kind: "kv",
      reads: [],
      writes: ["greeting"],
      ops: [{ op: "put", key: "greeting", value: "hi" }],
    });
    expect((await committed(node, put.id as string)).state).toBe("committed");
    expect((await submit(node, appendTx("before"))).error?.message).toMatch(
      /must be "put", "delete", "increment" or "cas"/,
    );

    const op = (m: Record<string, unknown>) =>
      node.router.call({ engine: UPGRADE }, { ...m, op: OPERATOR }, 30_000);
    await op({ type: "publish", signed: readFileSync(manifestFile, "utf8") });
    const folder = dirname(manifestFile);
    const app = readdirSync(folder).find((f) => f.endsWith(".cjs")) as string;
    await op({
      type: "storeArtifact",
      version: "0.2.0",
      name: app,
      bytes: new Uint8Array(readFileSync(join(folder, app))),
    });
    await eventually(
      async () => ((await op({ type: "running" })) as { version?: string }).version === "0.2.0",
      30_000,
      "the release to be swapped in",
    );

    const after = await submit(node, appendTx("after-swap"));
    expect(after.error).toBeUndefined();
    expect(await committed(node, after.id as string)).toMatchObject({
      state: "committed",
      ok: true,
    });
    expect(await read(node, "greeting")).toBe("hi!");

    // A crash of the engines that run the op: their supervisors start the table's module.
    const crashed = [EXECUTOR, MEMPOOL].map((name) => node.registry.lookup(name));
    for (const engine of crashed) {
      expect(engine).toBeDefined();
      await engine?.stop({ error: new Error(`injected crash of ${engine?.name}`) });
    }
    await eventually(
      async () => {
        try {
          const r = await submit(node, appendTx("after-crash"));
          return r.id !== undefined && (await committed(node, r.id)).ok === true;
        } catch {
          return false; // the subtree is still restarting
        }
      },
      20_000,
      "the append op to commit after the restart",
    );
    expect(await read(node, "greeting")).toBe("hi!!");
    // New engines, not the swapped ones resumed: the supervisors really restarted them.
    for (const [i, name] of [EXECUTOR, MEMPOOL].entries())
      expect(node.registry.lookup(name)).not.toBe(crashed[i]);
  }, 120_000);
});
