import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, VersionedStore } from "../../src/storage";
import { useCleanups } from "../support/cleanups";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";

const MAX_TXS = 3000;
const BATCH = 20;

const cleanup = useCleanups();

function client(port: number, dataDir: string) {
  const token = readFileSync(join(dataDir, "api.token"), "utf8").trim();
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
}

describe("crash safety (real process, SIGKILL)", () => {
  it("after SIGKILL mid-stream, every committed or acknowledged transaction is there after restart and replay's root matches", async () => {
    const dir = tempDir();
    cleanup(() => dir.remove());
    const port = await freePort();
    const args = ["--data-dir", dir.path, "--api-port", String(port)];
    const env = { ANODE_NODE_BLOCK_INTERVAL_MS: "5" };
    let node: NodeProcess = await startNodeProcess(args, { env });
    cleanup(() => node.kill());
    const api = client(port, dir.path);

    const acknowledged = new Map<string, number>();
    const committed = new Set<string>();
    let killed = false;
    // Kill once a few blocks are committed and submissions are still streaming in.
    const killer = (async () => {
      while (committed.size < 200) await new Promise((r) => setTimeout(r, 5));
      await node.kill();
      killed = true;
    })();
    for (let next = 0; next < MAX_TXS && !killed; next += BATCH) {
      const txs = Array.from({ length: BATCH }, (_, j) => {
        const n = next + j;
        return {
          kind: "kv",
          reads: [],
          writes: [`k${n}`],
          ops: [{ op: "put", key: `k${n}`, value: n }],
        };
      });
      try {
        const { results } = (await api("POST", "/v1/tx", { txs })) as {
          results: Array<{ id: string }>;
        };
        for (const [j, r] of results.entries()) acknowledged.set(r.id, next + j);
        const sample = results.map((r) => r.id);
        for (const [id] of acknowledged) {
          if (committed.has(id) || sample.includes(id)) continue;
          const s = (await api("GET", `/v1/tx/${id}`)) as { status: { state: string } };
          if (s.status.state === "committed") committed.add(id);
          else break;
        }
      } catch {
        break; // the node died under us
      }
    }
    await killer;
    expect(killed).toBe(true);
    expect(committed.size).toBeGreaterThanOrEqual(200);

    node = await startNodeProcess(args, { env });
    const status = (await api("GET", "/v1/status")) as {
      recovery: {
        checkpointRoot: string;
        verifiedRoot: string;
        root: string;
        height: number;
        replayedBlocks: number;
      };
    };
    expect(status.recovery.verifiedRoot).toBe(status.recovery.checkpointRoot);

    for (const [id, n] of acknowledged) {
      const s = (await api("GET", `/v1/tx/${id}?wait=10000`)) as { status: { state: string } };
      expect(s.status.state, `tx ${n} acknowledged before the crash`).toBe("committed");
      const v = (await api("GET", `/v1/state/k${n}`)) as { value: number };
      expect(v.value).toBe(n);
    }
    await node.stop();

    // Independently of the node: the stored data's root equals the last checkpoint's.
    const db = await openDatabase(join(dir.path, "db"));
    const store = await VersionedStore.open(db);
    expect(await store.computeRoot()).toBe(store.lastCheckpoint()?.root);
    await store.close();
    await db.close();
  }, 120_000);
});
