import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nullLogger } from "../../../../src/logging";
import { AnodeNode } from "../../../../src/node";
import { loadOrCreateIdentity } from "../../../../src/p2p";
import { cli } from "../../../support/cliHarness";
import { tempDir } from "../../../support/tempDir";
import { testOptions } from "../../../support/testNode";
import { waitUntil } from "../../../support/waitUntil";

describe("anode peers and status between two linked nodes", () => {
  const dirs: Array<{ path: string; remove(): void }> = [];
  const nodes: AnodeNode[] = [];
  let flagsA: string[];
  let flagsB: string[];
  let idA: string;
  let idB: string;

  beforeAll(async () => {
    const a = tempDir("anode-peers-a-");
    const b = tempDir("anode-peers-b-");
    dirs.push(a, b);
    idA = loadOrCreateIdentity(a.path).id;
    idB = loadOrCreateIdentity(b.path).id;
    const optsA = await testOptions(a.path);
    const nodeA = await AnodeNode.create(optsA, {
      log: nullLogger,
      boot: {
        source: "installed",
        appVersion: "0.2.0",
        binaryVersion: "0.1.0",
        build: "v0.1.0-test",
        path: "/data/app/0.2.0/app.cjs",
        signers: ["k"],
        refused: [{ version: "0.3.0", reason: "its sha512 does not match" }],
      },
    });
    nodes.push(nodeA);
    const optsB = await testOptions(b.path);
    const nodeB = await AnodeNode.create(
      { ...optsB, p2p: { ...optsB.p2p, peers: [{ address: optsA.p2p.listen, id: idA }] } },
      { log: nullLogger },
    );
    nodes.push(nodeB);
    flagsA = ["--data-dir", a.path, "--api-port", String(optsA.api.port)];
    flagsB = ["--data-dir", b.path, "--api-port", String(optsB.api.port)];
    let count = 0;
    await waitUntil(() => count > 0, "node B to be linked to node A", {
      timeoutMs: 10_000,
      everyMs: 50,
      between: async () => {
        const r = await cli([...flagsB, "--json", "peers"]);
        count = r.code === 0 ? (JSON.parse(r.stdout) as { peers: unknown[] }).peers.length : 0;
      },
    });
  });

  afterAll(async () => {
    for (const n of nodes.splice(0).reverse()) await n.close();
    for (const d of dirs.splice(0)) d.remove();
  });

  it("lists each linked peer with its address, direction, latency and traffic", async () => {
    const r = await cli([...flagsB, "peers"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^node \S+ listening on \S+, 1 peer\(s\)$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^${idA} {2}\\S+ +outbound +\\S+ {2}in \\d+B {2}out \\d+B$`, "m"),
    );
    const fromA = await cli([...flagsA, "peers"]);
    expect(fromA.stdout).toContain(`${idB}  `);
  });

  it("--ping times calls to a linked peer's router and reports the percentiles", async () => {
    const r = await cli([...flagsB, "peers", "--ping", idA, "--count", "20", "--window", "4"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^20\/20 answered, \d+ calls\/s, p50 [\d.]+ ms, p99 [\d.]+ ms$/m);
    const json = await cli([...flagsB, "--json", "peers", "--ping", idA, "--count", "5"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: 5, count: 5, failed: 0 });
  });

  it("status names the installed app boot chose, its binary and the bundles it refused", async () => {
    const r = await cli([...flagsA, "status"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "app         0.2.0 (installed, /data/app/0.2.0/app.cjs; binary 0.1.0, v0.1.0-test); refused 0.3.0: its sha512 does not match",
    );
  });
});
