import { cpSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultNodeOptions } from "../../src/config";
import { EXECUTOR, MEMPOOL, OPERATOR, UPGRADE } from "../../src/engines";
import { nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { appendOpTree } from "../support/appendOp";
import { useCleanups } from "../support/cleanups";
import { bumpVersions, copySourceTree, editSource } from "../support/sourceTree";
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

/** An in-process node that trusts `key`, with a short health window. */
async function trustingNode(dir: string, key: ReturnType<typeof releaseKey>) {
  const base = await testOptions(join(dir, "data"));
  const node = await AnodeNode.create(
    {
      ...base,
      upgrade: { ...defaultNodeOptions.upgrade, trustedKeys: key.trust, healthWindowMs: 500 },
    },
    { log: nullLogger },
  );
  cleanup(() => node.close());
  return node;
}

const operator = (node: AnodeNode, m: Record<string, unknown>) =>
  node.router.call({ engine: UPGRADE }, { ...m, op: OPERATOR }, 30_000);

/** What `release publish` does: the manifest, then the bundle beside it. */
async function publish(node: AnodeNode, manifestFile: string, version: string) {
  await operator(node, { type: "publish", signed: readFileSync(manifestFile, "utf8") });
  const folder = dirname(manifestFile);
  const app = readdirSync(folder).find((f) => f.endsWith(".cjs")) as string;
  await operator(node, {
    type: "storeArtifact",
    version,
    name: app,
    bytes: new Uint8Array(readFileSync(join(folder, app))),
  });
}

interface UpgradeStatus {
  running: string;
  releases: Array<{ version: string; status: string; note?: string }>;
}
const upgradeStatus = async (node: AnodeNode) =>
  (await operator(node, { type: "status" })) as UpgradeStatus;
/** False while the engine tree restarts (a restart instruction restarts it in place). */
async function applied(node: AnodeNode, version: string): Promise<boolean> {
  try {
    const { releases } = await upgradeStatus(node);
    return releases.some((r) => r.version === version && r.status === "applied");
  } catch {
    return false;
  }
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
    const node = await trustingNode(dir.path, key);

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

    await publish(node, manifestFile, "0.2.0");
    await eventually(
      async () => (await upgradeStatus(node)).running === "0.2.0",
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

  it("swaps the upgrade engine itself, and the new upgrade engine applies the next release", async () => {
    const dir = tempDir("anode-swap-self-");
    cleanup(() => dir.remove());
    const key = releaseKey(dir.path);
    // 0.2.0 changes the upgrade engine: it says in each release it makes permanent that
    // it did. 0.3.0 changes only the mempool, so 0.2.0's upgrade engine must apply it.
    const tree2 = copySourceTree(join(dir.path, "tree-0.2.0"));
    editSource(tree2, [
      {
        file: "src/engines/upgrade/applying.ts",
        find: "release.note = `permanent since ",
        replace: "release.note = `made permanent by the upgrade engine of 0.2.0; permanent since ",
      },
    ]);
    bumpVersions(tree2, ["src/engines/upgrade/upgradeEngine.ts"], "self");
    const tree3 = copySourceTree(join(dir.path, "tree-0.3.0"));
    cpSync(join(tree2, "src"), join(tree3, "src"), { recursive: true });
    bumpVersions(tree3, ["src/engines/mempool/mempoolEngine.ts"], "next");
    const r2 = await buildRelease(dir.path, { version: "0.2.0", fixture: "app", key, from: tree2 });
    const r3 = await buildRelease(dir.path, { version: "0.3.0", fixture: "app", key, from: tree3 });

    const node = await trustingNode(dir.path, key);
    const upgradeBefore = node.registry.lookup(UPGRADE);
    await publish(node, r2, "0.2.0");
    await eventually(() => applied(node, "0.2.0"), 30_000, "0.2.0 to become permanent");
    // Swapped in place: the same engine, now running the new module.
    expect(node.registry.lookup(UPGRADE)).toBe(upgradeBefore);
    expect(node.modules.module(UPGRADE).version).toMatch(/-self$/);

    await publish(node, r3, "0.3.0");
    await eventually(() => applied(node, "0.3.0"), 30_000, "0.3.0 to become permanent");
    const notes = Object.fromEntries(
      (await upgradeStatus(node)).releases.map((r) => [r.version, r.note ?? ""]),
    );
    expect(notes["0.3.0"]).toContain("made permanent by the upgrade engine of 0.2.0");
    expect(node.modules.module(MEMPOOL).version).toMatch(/-next$/);
  }, 120_000);

  it("a restart instruction for storage reopens the store with the new store code; a swap would keep the open one", async () => {
    const dir = tempDir("anode-swap-restart-");
    cleanup(() => dir.remove());
    const key = releaseKey(dir.path);
    // The store class itself changes: a new getter the new storage module reports.
    const tree = copySourceTree(join(dir.path, "tree"));
    editSource(tree, [
      {
        file: "src/storage/versionedStore.ts",
        find: "  get height(): number {",
        replace: `  get keysTouched(): string {
    return \`store opened by the new code at height \${this.height}\`;
  }

  get height(): number {`,
      },
      {
        file: "src/engines/storage/storageEngine.ts",
        find: "          checkpoint: store.lastCheckpoint(),",
        replace: `          checkpoint: store.lastCheckpoint(),
          opened: (store as unknown as { keysTouched?: string }).keysTouched ?? "by the old code",`,
      },
    ]);
    bumpVersions(tree, ["src/engines/storage/storageEngine.ts"], "store");
    const swapOnly = await buildRelease(dir.path, {
      version: "0.2.0",
      fixture: "app",
      key,
      from: tree,
    });
    // 0.3.0: the same code at another version, so the planner changes storage again.
    const tree3 = copySourceTree(join(dir.path, "tree-0.3.0"));
    cpSync(join(tree, "src"), join(tree3, "src"), { recursive: true });
    bumpVersions(tree3, ["src/engines/storage/storageEngine.ts"], "again");
    const restart = await buildRelease(dir.path, {
      version: "0.3.0",
      fixture: "app",
      key,
      from: tree3,
      extra: ["--instruction", "storage=restart"],
    });
    const node = await trustingNode(dir.path, key);
    const put = await submit(node, {
      kind: "kv",
      reads: [],
      writes: ["kept"],
      ops: [{ op: "put", key: "kept", value: "yes" }],
    });
    expect((await committed(node, put.id as string)).state).toBe("committed");
    const opened = async () =>
      ((await node.router.call({ engine: "storage" }, { type: "status" })) as { opened?: string })
        .opened;

    await publish(node, swapOnly, "0.2.0");
    await eventually(() => applied(node, "0.2.0"), 30_000, "0.2.0 to become permanent");
    // Swapped: the new module runs, on the store the old code opened.
    expect(await opened()).toBe("by the old code");

    await publish(node, restart, "0.3.0");
    await eventually(
      async () => {
        try {
          return (await opened())?.startsWith("store opened by the new code") === true;
        } catch {
          return false; // the subtree is restarting
        }
      },
      30_000,
      "the store to be reopened by the new code",
    );
    expect(await read(node, "kept")).toBe("yes");
    await eventually(() => applied(node, "0.3.0"), 30_000, "0.3.0 to become permanent");
    // The restart took the upgrade engine down with the tree; the one that came back
    // knows what the process runs and does not step back to the release before it.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await upgradeStatus(node);
    expect(after.running).toBe("0.3.0");
    expect(node.modules.module("storage").version).toMatch(/-again$/);
  }, 120_000);
});
