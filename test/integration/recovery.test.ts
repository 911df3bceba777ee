import { describe, expect, it } from "vitest";
import { STORAGE } from "../../src/engines";
import type { AnodeNode } from "../../src/node";
import { useCleanups } from "../support/cleanups";
import { incrTx } from "../support/kvTxs";
import { tempDir } from "../support/tempDir";
import { apiClient, startTestNode } from "../support/testNode";
import { waitFor } from "../unit/runtime/helpers";

const cleanup = useCleanups();

describe("supervision and recovery (in process)", () => {
  it("a crash injected into the storage engine restarts the tx subtree, which recovers its state by replay", async () => {
    const dir = tempDir();
    cleanup(() => dir.remove());
    const node: AnodeNode = await startTestNode(dir.path);
    cleanup(() => node.close());
    const api = apiClient(node);
    const first = await api.request("POST", "/v1/tx", {
      txs: Array.from({ length: 20 }, (_, i) => incrTx("n", `a${i}`)),
    });
    const ids = (first.body.results as Array<{ id: string }>).map((r) => r.id);
    for (const id of ids) await api.request("GET", `/v1/tx/${id}?wait=5000`);
    const before = (await api.request("GET", "/v1/status")).body as {
      storage: { height: number; root: string };
    };

    const storage = node.registry.get(STORAGE);
    // An unknown internal message is a bug; the storage engine crashes on it.
    storage.cast({ type: "poison" });
    await waitFor(
      () =>
        node.registry.lookup(STORAGE) !== undefined && node.registry.lookup(STORAGE) !== storage,
      10_000,
      "storage restarted",
    );
    expect(storage.status).toBe("exited");
    expect(node.restarts).toBeGreaterThanOrEqual(1);

    // The API engine restarted with the node subtree; wait until it answers again.
    await waitFor(() => node.registry.lookup("api")?.status === "running", 10_000, "api back");
    const after = (await api.request("GET", "/v1/status")).body as {
      storage: { height: number; root: string };
      recovery: { checkpointRoot: string; verifiedRoot: string; height: number };
    };
    expect(after.storage).toMatchObject(before.storage);
    expect(after.recovery.verifiedRoot).toBe(after.recovery.checkpointRoot);
    expect((await api.request("GET", "/v1/state/n")).body.value).toBe(20);

    // And the restarted pipeline keeps committing.
    const more = await api.request("POST", "/v1/tx", incrTx("n", "b"));
    await api.request("GET", `/v1/tx/${more.body.id as string}?wait=5000`);
    expect((await api.request("GET", "/v1/state/n")).body.value).toBe(21);
  });

  it("a restarted node replays transactions that were accepted but not yet in a block", async () => {
    const dir = tempDir();
    cleanup(() => dir.remove());
    // A long block interval: the submissions are logged but no block is cut before close.
    const node = await startTestNode(dir.path, { blockIntervalMs: 60_000 });
    const api = apiClient(node);
    const res = await api.request("POST", "/v1/tx", {
      txs: Array.from({ length: 5 }, (_, i) => incrTx("p", `x${i}`)),
    });
    const ids = (res.body.results as Array<{ id: string }>).map((r) => r.id);
    expect((await api.request("GET", `/v1/tx/${ids[0]}`)).body.status).toEqual({
      state: "pending",
    });
    await node.close();

    const again = await startTestNode(dir.path, { blockIntervalMs: 20 });
    cleanup(() => again.close());
    const api2 = apiClient(again);
    for (const id of ids) {
      const st = await api2.request("GET", `/v1/tx/${id}?wait=5000`);
      expect((st.body.status as { state: string }).state).toBe("committed");
    }
    expect((await api2.request("GET", "/v1/state/p")).body.value).toBe(5);
    const status = (await api2.request("GET", "/v1/status")).body as {
      recovery: { pending: number };
    };
    expect(status.recovery.pending).toBe(5);
  });
});
