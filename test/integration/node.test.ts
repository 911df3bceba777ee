import { describe, expect, it } from "vitest";
import { useCleanups } from "../support/cleanups";
import { incrTx, putTx } from "../support/kvTxs";
import { tempDir } from "../support/tempDir";
import { apiClient, startTestNode } from "../support/testNode";

const cleanup = useCleanups();

async function fresh() {
  const dir = tempDir();
  const node = await startTestNode(dir.path);
  cleanup(() => dir.remove());
  cleanup(() => node.close());
  return { dir, node, api: apiClient(node) };
}

describe("node pipeline (in process)", () => {
  it("commits a submitted transaction and serves the value at its height but not before", async () => {
    const { api } = await fresh();
    const sub = await api.request("POST", "/v1/tx", putTx("k", "v"));
    expect(sub.status).toBe(202);
    const id = sub.body.id as string;
    const st = await api.request("GET", `/v1/tx/${id}?wait=5000`);
    const status = st.body.status as { state: string; height: number };
    expect(status.state).toBe("committed");
    const got = await api.request("GET", "/v1/state/k");
    expect(got.body).toMatchObject({ found: true, value: "v" });
    const before = await api.request("GET", `/v1/state/k?at=${status.height - 1}`);
    expect(before.body).toMatchObject({ found: false });
  });

  it("runs conflicting increments in order and independent ones in parallel to the same result", async () => {
    const { api } = await fresh();
    const txs = [];
    for (let i = 0; i < 50; i++) txs.push(incrTx(`c${i % 5}`, `n${i}`));
    const res = await api.request("POST", "/v1/tx", { txs });
    const results = res.body.results as Array<{ id: string }>;
    expect(results).toHaveLength(50);
    for (const r of results) {
      const st = await api.request("GET", `/v1/tx/${r.id}?wait=5000`);
      expect((st.body.status as { state: string }).state).toBe("committed");
    }
    for (let k = 0; k < 5; k++) {
      const got = await api.request("GET", `/v1/state/c${k}`);
      expect(got.body.value).toBe(10);
    }
  });

  it("refuses a request without the right token", async () => {
    const { api } = await fresh();
    const res = await api.request("GET", "/v1/status", undefined, "wrong");
    expect(res.status).toBe(401);
    expect((res.body.error as { code: string }).code).toBe("API_UNAUTHORIZED");
  });

  it("rejects malformed transactions with a clear error and keeps serving", async () => {
    const { api } = await fresh();
    const bad = await api.request("POST", "/v1/tx", {
      kind: "kv",
      reads: [],
      writes: [],
      ops: [{ op: "put", key: "a", value: 1 }],
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { code: string }).code).toMatch(/^TX_/);
    const notJson = await api.request("POST", "/v1/tx", "{nope");
    expect(notJson.status).toBe(400);
    const status = await api.request("GET", "/v1/status");
    expect(status.status).toBe(200);
  });
});
