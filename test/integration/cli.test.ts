import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeProcess, runCli, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";

/** The README's flow, through the real CLI against a real node process. */
describe("anode CLI against a running node", () => {
  const dir = tempDir();
  let port = 0;
  let node: NodeProcess;
  let g: string[];

  beforeAll(async () => {
    port = await freePort();
    g = ["--data-dir", dir.path, "--api-port", String(port)];
    node = await startNodeProcess(g, { env: { ANODE_NODE_BLOCK_INTERVAL_MS: "20" } });
  });

  afterAll(async () => {
    await node?.stop();
    dir.remove();
  });

  it("tx submit, tx status --wait, state get and state get --at, in text and JSON", async () => {
    const submitted = await runCli([...g, "tx", "submit", "--put", "k=v"]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = submitted.stdout.split(" ")[0] as string;
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const waited = await runCli([...g, "tx", "status", id, "--wait"]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(/committed at height \d+, index 0/);

    const json = await runCli([...g, "--json", "tx", "status", id, "--wait"]);
    const status = JSON.parse(json.stdout).status as { state: string; height: number; ok: boolean };
    expect(status).toMatchObject({ state: "committed", ok: true });

    const got = await runCli([...g, "state", "get", "k"]);
    expect(got.code).toBe(0);
    expect(got.stdout).toBe("v\n");
    const gotJson = await runCli([...g, "--json", "state", "get", "k"]);
    expect(JSON.parse(gotJson.stdout)).toMatchObject({ key: "k", found: true, value: "v" });

    const before = String(status.height - 1);
    const absent = await runCli([...g, "state", "get", "k", "--at", before]);
    expect(absent.code).toBe(5);
    expect(absent.stderr).toContain(`k: absent at height ${before}`);
    const absentJson = await runCli([...g, "--json", "state", "get", "k", "--at", before]);
    expect(absentJson.code).toBe(5);
    expect(JSON.parse(absentJson.stdout)).toEqual({ key: "k", at: Number(before), found: false });
  });

  it("tx submit --wait --json reports the commit, and --incr counts each submission", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await runCli([...g, "--json", "tx", "submit", "--incr", "hits", "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        status: { state: "committed", ok: true },
        duplicate: false,
      });
    }
    expect((await runCli([...g, "state", "get", "hits"])).stdout).toBe("2\n");
  });

  it("status shows height and engines, in text and JSON", async () => {
    const text = await runCli([...g, "status"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/height\s+\d+/);
    expect(text.stdout).toContain("mempool@1.0.0");
    const json = JSON.parse((await runCli([...g, "--json", "status"])).stdout);
    expect(json.pid).toBe(node.pid);
    expect(json.storage.height).toBeGreaterThan(0);
  });

  it("events streams committed transactions and stops after --count", async () => {
    const events = runCli([...g, "--json", "events", "--topic", "tx.committed", "--count", "1"]);
    await new Promise((r) => setTimeout(r, 300));
    await runCli([...g, "tx", "submit", "--put", "e=1"]);
    const r = await events;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      topic: "tx.committed",
      body: { ok: true },
    });
  });

  it("config path and config get show where settings come from", async () => {
    const path = await runCli([...g, "config", "path"]);
    expect(path.stdout.trim()).toBe(`${dir.path}/config.json`);
    const got = await runCli([...g, "--json", "config", "get", "api.port"]);
    expect(JSON.parse(got.stdout)).toEqual({ key: "api.port", value: port, source: "flag" });
  });
});
