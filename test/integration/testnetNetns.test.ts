import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { netTag } from "../../src/cli/commands/testnet/netns";
import { CHAIN, chainOf, putLoad, rootAt } from "../support/activationNet";
import { kernelHasNetem } from "../support/netem";
import { runCli } from "../support/nodeProcess";
import {
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });

/** Namespaces and links of the host whose name holds `tag`. */
function leftovers(tag: string): string[] {
  const ns = ip("netns", "list")
    .split("\n")
    .filter((l) => l.includes(tag));
  const links = ip("-o", "link", "show")
    .split("\n")
    .filter((l) => l.includes(tag));
  return [...ns, ...links];
}

interface NetnsState {
  nodes: Array<TestnetNodeInfo & { netns: string }>;
  net: { bridge: string; prefix: string; namespaces: string[] };
}

describe("anode testnet up --netns (each node in its own network namespace)", () => {
  if (process.getuid?.() !== 0)
    throw new Error("these tests make network namespaces and need root (CI runs as root)");
  const t = useTestnetDir("anode-netns-");

  it("puts each node on its own address in its own namespace with kernel packet loss; the chain commits; down removes it all", async () => {
    const up = await runCli(
      ["testnet", "up", "-n", "5", "--validators", "4", "--netns", "--loss", "5", "--dir", t.net],
      { timeoutMs: 120_000 },
    );
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const state = JSON.parse(readFileSync(`${t.net}/testnet.json`, "utf8")) as NetnsState;
    const tag = state.net.bridge.slice(3);
    const nodes = state.nodes;
    try {
      // Own namespace, own non-loopback address, and that address is the one it listens on.
      expect(new Set(nodes.map((n) => n.netns)).size).toBe(5);
      expect(new Set(nodes.map((n) => n.host)).size).toBe(5);
      for (const n of nodes) {
        expect(n.host.startsWith(`${state.net.prefix}.`), n.host).toBe(true);
        expect(ip("netns", "identify", String(n.pid)).trim()).toBe(n.netns);
        const addrs = ip("netns", "exec", n.netns, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
        expect(addrs).toContain(`${n.host}/16`);
        const rules = execFileSync("ip", ["netns", "exec", n.netns, "nft", "list", "ruleset"], {
          encoding: "utf8",
        });
        expect(rules).toMatch(/numgen random mod 10000 < 500 drop/);
      }
      // A node's peers reach it on the bridge, not on loopback.
      const peers = await nodeApi<{ peers: Array<{ id: string; address?: string }> }>(
        nodes[0] as TestnetNodeInfo,
        "GET",
        "/v1/peers",
      );
      expect(peers.peers.length).toBeGreaterThan(0);
      const status = await runCli(["--json", "testnet", "status", "--dir", t.net]);
      expect(status.code, status.stderr).toBe(0);
      const rows = JSON.parse(status.stdout).nodes as Array<{ alive: boolean; address: string }>;
      expect(rows.every((r) => r.alive && !r.address.startsWith("127."))).toBe(true);

      // Through 5 % loss on every link, transactions commit and every node has one root per height.
      const load = putLoad(nodes, { everyMs: 50, max: 40 });
      await eventually(
        async () => load.acked.length + load.refused.length >= 40,
        60_000,
        "40 transactions sent",
      );
      await load.stop();
      expect(load.acked.length, load.refused.join("; ")).toBeGreaterThan(30);
      for (const id of load.acked) {
        const s = await nodeApi<{ status?: { state: string } }>(
          nodes[0] as TestnetNodeInfo,
          "GET",
          `/v1/tx/${id}?wait=30000`,
        );
        expect(s.status?.state, `transaction ${id}: ${JSON.stringify(s)}`).toBe("committed");
      }
      const height = (await chainOf(nodes[0] as TestnetNodeInfo)).committedHeight;
      await eventually(
        async () =>
          (await Promise.all(nodes.map(chainOf))).every((c) => c.committedHeight >= height),
        30_000,
        `every node of ${CHAIN} at height ${height}`,
      );
      for (let h = 1; h <= height; h++) {
        const roots = new Set(await Promise.all(nodes.map((n) => rootAt(n, h))));
        expect(roots.size, `roots at height ${h}`).toBe(1);
      }
    } finally {
      const down = await runCli(["testnet", "down", "--dir", t.net], { timeoutMs: 60_000 });
      killPids(nodes.map((n) => n.pid));
      expect(down.code, down.stderr).toBe(0);
    }
    expect(leftovers(tag)).toEqual([]);

    // `up` again makes the network again, from the state file.
    const again = await runCli(["testnet", "up", "--dir", t.net], { timeoutMs: 120_000 });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const restarted = readTestnetState(t.net).nodes;
    try {
      await eventually(
        async () =>
          ((await chainOf(restarted[0] as TestnetNodeInfo).catch(() => undefined))
            ?.committedHeight ?? 0) > 0,
        30_000,
        "the chain after the network was made again",
      );
    } finally {
      await runCli(["testnet", "down", "--dir", t.net], { timeoutMs: 60_000 });
      killPids(restarted.map((n) => n.pid));
    }
    expect(leftovers(tag)).toEqual([]);
  }, 240_000);

  it(kernelHasNetem()
    ? "adds netem delay and jitter to every node's link"
    : "says this kernel has no netem when asked for delay, and leaves no half network behind", {
    timeout: 60_000,
  }, async () => {
    const dir = `${t.dir}/delayed`;
    const up = await runCli(
      [
        "testnet",
        "up",
        "-n",
        "2",
        "--netns",
        "--subnet",
        "10.250.0.0/16", // outside the defaults (10.128-191), so never the other test's
        "--delay",
        "20",
        "--jitter",
        "5",
        "--dir",
        dir,
      ],
      { timeoutMs: 60_000 },
    );
    if (kernelHasNetem()) {
      try {
        expect(up.code, up.stderr).toBe(0);
        const s = JSON.parse(readFileSync(`${dir}/testnet.json`, "utf8")) as NetnsState;
        for (const ns of s.net.namespaces)
          expect(ip("netns", "exec", ns, "tc", "qdisc", "show", "dev", "eth0")).toMatch(
            /netem .*delay 20ms\s+5ms/,
          );
      } finally {
        await runCli(["testnet", "down", "--dir", dir], { timeoutMs: 60_000 });
      }
      return;
    }
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain(
      "Cannot add --delay or --jitter: this kernel has no netem queueing discipline",
    );
    expect(leftovers(netTag(dir))).toEqual([]);
  });

  it("refuses impairments without --netns, naming the option", async () => {
    const r = await runCli(["testnet", "up", "-n", "2", "--loss", "5", "--dir", `${t.dir}/x`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot use --subnet, --delay, --jitter or --loss without --netns");
  });
});
