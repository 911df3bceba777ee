import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainOf, putLoad, rootAt, startChainNet } from "../support/activationNet";
import { runCli } from "../support/nodeProcess";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";

interface Status {
  validator: boolean;
  signing: string;
  committedHeight: number;
  validators: Array<{ id: string }>;
  nextValidators?: { from: number; validators: Array<{ id: string }> };
}

// Issue 13, item 5: a validator added and one removed by a transaction on a running
// 7-node testnet (4 validators), signed by validators holding more than two thirds of the
// power, in effect two heights after it commits. Proved by what the chain does: with the
// removed validator and one more stopped it still commits, which only the newcomer's
// votes make possible (under the old set 2 of 4 would be left).
describe("validator set changes by transaction (7 real nodes, 4 validators)", () => {
  const t = useTestnetDir("anode-valchange-");

  it("refuses a change short of two thirds, then adds node 4 and removes node 3 two heights after the change commits", async () => {
    const { nodes, net } = await startChainNet(t.dir, { n: 7, validators: 4, env: {} });
    const node = (i: number) => nodes[i] as TestnetNodeInfo;
    const cli = (i: number, args: string[]) =>
      runCli(["--config", join(net, `node-${i}`, "config.json"), "--json", ...args], {
        timeoutMs: 60_000,
      });
    const file = join(t.dir, "change.json");
    const load = putLoad(nodes, { everyMs: 40, max: 300 });

    // One signature of four is not enough: the transaction commits as failed, saying why.
    const newcomer = JSON.parse((await cli(4, ["id"])).stdout) as { id: string; publicKey: string };
    const removed = node(3).id;
    const propose = await cli(5, [
      "chain",
      "propose",
      "--add",
      `${newcomer.id}:${newcomer.publicKey}`,
      "--remove",
      removed,
      "--out",
      file,
    ]);
    expect(propose.code, propose.stderr).toBe(0);
    expect((await cli(0, ["chain", "sign", file])).code).toBe(0);
    const weak = await cli(5, ["chain", "submit", file, "--wait"]);
    expect(weak.code, weak.stdout + weak.stderr).toBe(1);
    expect(JSON.parse(weak.stdout).status).toMatchObject({
      state: "committed",
      ok: false,
      error: "the change is signed by 1 of 4 voting power; it needs more than two thirds",
    });

    // Three of four sign the same change: it commits, and takes effect two heights later.
    for (const i of [1, 2]) expect((await cli(i, ["chain", "sign", file])).code).toBe(0);
    const done = await cli(5, ["chain", "submit", file, "--wait"]);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const committedAt = JSON.parse(done.stdout).status.height as number;
    const from = committedAt + 2;
    const pending = await nodeApi<Status>(node(6), "GET", "/v1/chain");
    if (pending.committedHeight < from)
      expect(pending.nextValidators?.from ?? from, JSON.stringify(pending)).toBe(from);
    const expected = [node(0).id, node(1).id, node(2).id, newcomer.id].sort();
    await eventually(
      async () =>
        (await Promise.all(nodes.map(chainOf))).every((c) => c.committedHeight >= from + 2),
      60_000,
      `every node past height ${from + 2}`,
    );
    for (const n of nodes) {
      const s = await nodeApi<Status>(n, "GET", "/v1/chain");
      expect(s.validators.map((v) => v.id).sort(), `node ${n.index}`).toEqual(expected);
    }
    expect(await nodeApi<Status>(node(4), "GET", "/v1/chain")).toMatchObject({
      validator: true,
      signing: "ok",
    });
    expect((await nodeApi<Status>(node(3), "GET", "/v1/chain")).validator).toBe(false);

    // Every transaction acknowledged across the change is committed.
    await load.stop();
    expect(load.acked.length).toBeGreaterThan(20);
    for (const id of load.acked) {
      const s = await nodeApi<{ status?: { state: string } }>(
        node(5),
        "GET",
        `/v1/tx/${id}?wait=30000`,
      );
      expect(s.status?.state, `transaction ${id}`).toBe("committed");
    }

    // Stop the removed validator and one kept: 3 of the new 4 remain, and the chain goes on.
    killPids([node(3).pid, node(0).pid]);
    await eventually(async () => !alive(node(0).pid) && !alive(node(3).pid), 10_000, "two stopped");
    const before = (await chainOf(node(5))).committedHeight;
    await eventually(
      async () => (await chainOf(node(5))).committedHeight >= before + 3,
      60_000,
      `commits past ${before + 3} with nodes 0 and 3 stopped`,
    );

    // A follower that replays the change from its log after a crash computes the same roots.
    killPids([node(6).pid]);
    await eventually(async () => !alive(node(6).pid), 10_000, "node 6 stopped");
    const up = await runCli(["testnet", "up", "--dir", net], { timeoutMs: 120_000 });
    const log6 = () => readFileSync(join(net, "node-6", "node.log"), "utf8").slice(-3000);
    expect(up.code, `${up.stderr}\n${log6()}`).toBe(0);
    const restarted = readTestnetState(net).nodes[6] as TestnetNodeInfo;
    const top = (await chainOf(node(5))).committedHeight;
    await eventually(
      async () => ((await chainOf(restarted).catch(() => undefined))?.committedHeight ?? 0) >= top,
      60_000,
      `the restarted follower at height ${top}`,
    );
    for (let h = 1; h <= top; h++) {
      const roots = new Set(
        await Promise.all([node(1), node(2), node(4), node(5), restarted].map((n) => rootAt(n, h))),
      );
      expect(roots.size, `roots at height ${h}`).toBe(1);
    }
  }, 300_000);
});
