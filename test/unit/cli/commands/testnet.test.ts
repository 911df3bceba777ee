import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isAlive } from "../../../../src/cli/commands/testnet/processes";
import type { TestnetState } from "../../../../src/cli/commands/testnet/testnetState";
import { cli } from "../../../support/cliHarness";
import { type FakeAnodeMode, writeFakeAnode } from "../../../support/fakeAnodeScript";
import { freePort } from "../../../support/ports";
import { useTempDir } from "../../../support/useTempDir";
import { waitUntil } from "../../../support/waitUntil";

const dir = useTempDir("anode-testnet-cli-");
const started: number[] = [];

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

afterAll(() => {
  for (const pid of started.splice(0)) kill(pid);
});

const readState = (net: string) =>
  JSON.parse(readFileSync(join(net, "testnet.json"), "utf8")) as TestnetState;

/** Runs the CLI with process.argv[1] pointing at a fake anode, as `testnet up` spawns it. */
async function withFakeAnode<T>(mode: FakeAnodeMode, run: () => Promise<T>): Promise<T> {
  const saved = process.argv[1];
  process.argv[1] = writeFakeAnode(dir(), mode);
  try {
    return await run();
  } finally {
    process.argv[1] = saved as string;
  }
}

describe("anode testnet without a testnet", () => {
  it("status and down say where none was found", async () => {
    const net = join(dir(), "none");
    for (const verb of ["status", "down"]) {
      const r = await cli(["testnet", verb, "--dir", net]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`Cannot find a testnet in ${net}`);
    }
  });

  it("up without -n refuses to invent a size", async () => {
    const r = await cli(["testnet", "up", "--dir", join(dir(), "no-n")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("give the number of nodes with -n");
  });

  it("reports a testnet.json it cannot read", async () => {
    const net = join(dir(), "bad");
    mkdirSync(net);
    writeFileSync(join(net, "testnet.json"), '{"nodes": 3}');
    const r = await cli(["testnet", "status", "--dir", net]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Cannot read ${join(net, "testnet.json")}`);
  });
});

describe("anode testnet up, status and down", () => {
  let net = "";
  afterEach(() => {
    if (net === "") return;
    try {
      for (const n of readState(net).nodes) if (n.pid !== null) kill(n.pid);
    } catch {
      // No state written.
    }
  });

  it("creates a validating testnet, starts its processes, waits for peering, reports and stops them", async () => {
    net = join(dir(), "net");
    const basePort = await freePort("127.0.0.2");
    const up = await withFakeAnode("serve", () =>
      cli([
        "testnet",
        "up",
        ...["-n", "2", "--dir", net, "--base-port", String(basePort)],
        ...["--validators", "2", "--network-id", "fake-net", "--timeout", "10000"],
      ]),
    );
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe(`testnet in ${net}: 2 nodes, 2 started, 2 up with all their peers\n`);
    const state = readState(net);
    expect(state.networkId).toBe("fake-net");
    expect(state.nodes.map((n) => n.host)).toEqual(["127.0.0.2", "127.0.0.3"]);
    for (const n of state.nodes) {
      expect(isAlive(n.pid)).toBe(true);
      started.push(n.pid as number);
    }
    const [a, b] = state.nodes;
    expect(a?.neighbours).toEqual([b?.id]);
    const config = JSON.parse(readFileSync(a?.config as string, "utf8"));
    expect(config).toMatchObject({
      dataDir: ".",
      api: { host: "127.0.0.2", port: basePort + 1 },
      node: { networkId: "fake-net" },
      p2p: { listen: `127.0.0.2:${basePort}`, peers: [{ address: `127.0.0.3:${basePort}` }] },
    });
    expect(config.consensus.chains).toEqual([
      {
        chainId: "chain-0",
        validators: state.nodes.map((n) => expect.objectContaining({ id: n.id, power: 1 })),
      },
    ]);

    const again = await cli(["--json", "testnet", "up", "--dir", net, "--timeout", "5000"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ started: 0, nodes: 2, ready: 2 });

    const bigger = await cli(["testnet", "up", "-n", "3", "--dir", net]);
    expect(bigger.code).toBe(2);
    expect(bigger.stderr).toContain("it holds a 2-node testnet");

    const text = await cli(["testnet", "status", "--dir", net]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`testnet fake-net in ${net}: 2/2 running`);
    expect(text.stdout).toMatch(
      /^ {2}0 up {3}\S+ 127\.0\.0\.2:\d+ +pid \d+ +h 3 +peers 1: \w{8}$/m,
    );
    const json = await cli(["--json", "testnet", "status", "--dir", net]);
    expect(JSON.parse(json.stdout).nodes).toEqual([
      expect.objectContaining({ index: 0, alive: true, height: 3, peers: [b?.id] }),
      expect.objectContaining({ index: 1, alive: true, height: 3, peers: [a?.id] }),
    ]);

    const down = await cli(["testnet", "down", "--dir", net]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toBe(`testnet in ${net}: stopped 2 process(es)\n`);
    for (const n of state.nodes) expect(isAlive(n.pid)).toBe(false);
    expect(readState(net).nodes.map((n) => n.pid)).toEqual([null, null]);

    const after = await cli(["--json", "testnet", "status", "--dir", net]);
    expect(JSON.parse(after.stdout).nodes).toEqual([
      expect.objectContaining({ alive: false, height: null, peers: [] }),
      expect.objectContaining({ alive: false, height: null, peers: [] }),
    ]);
  }, 20_000);

  it("fails naming the node whose process exited during start-up", async () => {
    net = join(dir(), "dying");
    const basePort = await freePort("127.0.0.2");
    const r = await withFakeAnode("dies", () =>
      cli(["testnet", "up", "-n", "1", "--dir", net, "--base-port", String(basePort)]),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`node 0 exited (see ${join(net, "node-0", "node.log")})`);
  });

  it("times out naming the nodes that never answered", async () => {
    net = join(dir(), "silent");
    const basePort = await freePort("127.0.0.2");
    const r = await withFakeAnode("silent", () =>
      cli([
        ...["testnet", "up", "-n", "1", "--dir", net],
        ...["--base-port", String(basePort), "--timeout", "1000"],
      ]),
    );
    expect(r.code).toBe(6);
    expect(r.stdout).toContain("1 nodes, 1 started, 0 up with all their peers");
    expect(r.stderr).toContain("not every node was peered within 1000 ms: 0");
  });

  it("down stops a process a hand-written testnet.json names and forgets dead pids", async () => {
    net = join(dir(), "hand");
    mkdirSync(net);
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
      stdio: "ignore",
    });
    const pid = child.pid as number;
    started.push(pid);
    const exited = new Promise((r) => child.once("exit", r));
    const node = (index: number, p: number | null) => ({
      index,
      id: `node${index}`,
      host: "127.0.0.1",
      p2pPort: 1,
      apiPort: 2,
      dir: join(net, `node-${index}`),
      config: join(net, `node-${index}`, "config.json"),
      log: join(net, `node-${index}`, "node.log"),
      pid: p,
      neighbours: [],
    });
    const state = { networkId: "hand", createdAt: "", nodes: [node(0, pid), node(1, null)] };
    writeFileSync(join(net, "testnet.json"), JSON.stringify(state));
    const r = await cli(["--json", "testnet", "down", "--dir", net]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dir: net, stopped: 1, survivors: [] });
    await exited;
    await waitUntil(() => !isAlive(pid), "the child to be gone");
    expect(readState(net).nodes.map((n) => n.pid)).toEqual([null, null]);
  });
});
