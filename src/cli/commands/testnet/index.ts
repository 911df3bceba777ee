import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { paint, printJson, println } from "../../io";
import { parseDecimalOption, parseIntOption } from "../../parsers";
import { bundleCommand } from "./bundle";
import { createTestnet } from "./createTestnet";
import { dashboardCommand } from "./dashboardCommand";
import {
  checkNetnsAvailable,
  checkSubnetFree,
  defaultSubnet,
  destroyNetwork,
  ensureNetwork,
  netTag,
  parseSubnet,
  planNetwork,
} from "./netns";
import { isAlive, sleep, spawnNode, stopAll } from "./processes";
import { readTestnet, requireTestnet, type TestnetNode, writeTestnet } from "./testnetState";

interface UpOptions extends GlobalOptions {
  nodes?: number;
  dir: string;
  degree: number;
  basePort: number;
  networkId: string;
  timeout: number;
  validators?: number;
  chains: number;
  netns?: boolean;
  subnet?: string;
  delay?: number;
  jitter?: number;
  loss?: number;
}

/** The `--netns` network a new testnet asks for, or undefined; refuses impairments without it. */
function requestedNetwork(o: UpOptions, dir: string) {
  const impaired = o.delay !== undefined || o.jitter !== undefined || o.loss !== undefined;
  if (!o.netns) {
    if (impaired || o.subnet !== undefined)
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_OPTION",
        "Cannot use --subnet, --delay, --jitter or --loss without --netns",
      );
    return undefined;
  }
  checkNetnsAvailable();
  const prefix = parseSubnet(o.subnet ?? defaultSubnet(netTag(dir)));
  return planNetwork(dir, o.nodes as number, prefix, {
    ...(o.delay === undefined ? {} : { delayMs: o.delay }),
    ...(o.jitter === undefined ? {} : { jitterMs: o.jitter }),
    ...(o.loss === undefined ? {} : { lossPercent: o.loss }),
  });
}

const dirOption = {
  flags: "--dir <dir>",
  describe: "testnet directory (default ./testnet)",
  default: "testnet",
};

/** Asks one node of the testnet, with its own token. */
async function ask<T>(node: TestnetNode, path: string): Promise<T | undefined> {
  try {
    const token = (await readFile(join(node.dir, "api.token"), "utf8")).trim();
    const res = await fetch(`http://${node.host}:${node.apiPort}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

const up: CommandSpec = {
  command: "up",
  describe:
    "start a local testnet of real node processes on 127.0.0.2, 127.0.0.3, ... (again: restart the stopped ones)",
  options: [
    {
      flags: "-n, --nodes <n>",
      describe: "number of nodes (needed the first time)",
      parse: parseIntOption("--nodes", 1, 2000),
    },
    dirOption,
    {
      flags: "--degree <k>",
      describe: "peers per node (default 6)",
      parse: parseIntOption("--degree", 1, 64),
      default: 6,
    },
    {
      flags: "--base-port <port>",
      describe: "p2p port on every address; the API uses the next one (default 7800)",
      parse: parseIntOption("--base-port", 1024, 65534),
      default: 7800,
    },
    {
      flags: "--network-id <id>",
      describe: "network id of the testnet (default anode-testnet)",
      default: "anode-testnet",
    },
    {
      flags: "--validators <v>",
      describe: "run consensus: the first v nodes validate chain-0, every node follows it",
      parse: parseIntOption("--validators", 1, 256),
    },
    {
      flags: "--chains <c>",
      describe: "with --validators: c chains, each validated by v nodes spread over the testnet",
      parse: parseIntOption("--chains", 1, 16),
      default: 1,
    },
    {
      flags: "--netns",
      describe:
        "each node in its own network namespace with its own address on a bridge (Linux, root)",
    },
    {
      flags: "--subnet <a.b.0.0/16>",
      describe:
        "with --netns: the /16 of the bridge and nodes (default 10.128-191.0.0/16 by --dir)",
    },
    {
      flags: "--delay <ms>",
      describe: "with --netns: one-way delay on what each node sends (tc netem)",
      parse: parseIntOption("--delay", 0, 10_000),
    },
    {
      flags: "--jitter <ms>",
      describe: "with --netns: random variation of that delay (tc netem)",
      parse: parseIntOption("--jitter", 0, 10_000),
    },
    {
      flags: "--loss <percent>",
      describe: "with --netns: share of packets each node sends that are dropped (nftables)",
      parse: parseDecimalOption("--loss", 0, 100),
    },
    {
      flags: "--timeout <ms>",
      describe: "how long to wait for every node to be up and peered (default 60000)",
      parse: parseIntOption("--timeout", 1000, 600_000),
      default: 60_000,
    },
  ],
  examples: `Examples:
  anode testnet up -n 20                 # 20 nodes, degree 6, in ./testnet
  sudo anode testnet up -n 50 --validators 20 --netns --delay 50 --jitter 10 --loss 1
  anode testnet status
  anode --config testnet/node-3/config.json tx submit --put k=v
  anode testnet down`,
  async handler({ options, io }) {
    const o = options as UpOptions;
    const dir = resolve(o.dir);
    let state = await readTestnet(dir);
    if (state && o.nodes !== undefined && o.nodes !== state.nodes.length) {
      throw cliError(
        EXIT.USAGE,
        "CLI_TESTNET_EXISTS",
        `Cannot create a ${o.nodes}-node testnet in ${dir}: it holds a ${state.nodes.length}-node testnet (testnet down, then remove the directory)`,
      );
    }
    if (!state) {
      if (o.nodes === undefined)
        throw cliError(
          EXIT.USAGE,
          "CLI_BAD_OPTION",
          "Cannot start a new testnet: give the number of nodes with -n",
        );
      const net = requestedNetwork(o, dir);
      if (net !== undefined) checkSubnetFree(net);
      state = await createTestnet(
        { ...o, nodes: o.nodes, ...(net === undefined ? {} : { net }) },
        dir,
      );
    } else if (o.netns && state.net === undefined) {
      throw cliError(
        EXIT.USAGE,
        "CLI_TESTNET_EXISTS",
        `Cannot put the testnet in ${dir} into namespaces: it was made on loopback addresses (testnet down, then remove the directory)`,
      );
    }
    if (state.net !== undefined) {
      checkNetnsAvailable();
      try {
        ensureNetwork(state.net);
      } catch (err) {
        // Half a network is worse than none: the next `up` builds it whole.
        destroyNetwork(state.net);
        throw err;
      }
    }
    let started = 0;
    for (const node of state.nodes) {
      if (isAlive(node.pid)) continue;
      node.pid = spawnNode(node.config, node.log, node.netns);
      started++;
    }
    await writeTestnet(dir, state);
    const deadline = Date.now() + o.timeout;
    const waiting = new Set(state.nodes.map((n) => n.index));
    while (waiting.size > 0 && Date.now() < deadline) {
      await Promise.all(
        state.nodes
          .filter((n) => waiting.has(n.index))
          .map(async (n) => {
            // Up once linked to each of its static neighbours: a count would also take
            // the peers that peer exchange added for one still missing.
            const reply = await ask<PeersReply>(n, "/v1/peers");
            const ids = new Set(reply?.peers.map((p) => p.id));
            if (reply && n.neighbours.every((id) => ids.has(id))) waiting.delete(n.index);
          }),
      );
      const dead = state.nodes.filter((n) => !isAlive(n.pid));
      if (dead.length > 0) {
        throw cliError(
          EXIT.FAILURE,
          "CLI_TESTNET_NODE_DIED",
          `Cannot bring the testnet up: node ${dead.map((n) => n.index).join(", ")} exited (see ${dead[0]?.log})`,
        );
      }
      if (waiting.size > 0) await sleep(200);
    }
    const summary = {
      dir,
      started,
      nodes: state.nodes.length,
      ready: state.nodes.length - waiting.size,
    };
    if (o.json) printJson(io, { ...summary, testnet: state });
    else {
      println(
        io,
        `testnet in ${dir}: ${summary.nodes} nodes, ${started} started, ${summary.ready} up with all their peers`,
      );
      if (state.timeoutScale !== undefined && started > 0)
        println(
          io,
          `consensus timeouts are ${state.timeoutScale}× the testnet's base: its nodes share ${availableParallelism()} cores (see consensus in any node's config.json)`,
        );
    }
    if (waiting.size > 0) {
      io.stderr.write(
        `anode: not every node was peered within ${o.timeout} ms: ${[...waiting].join(", ")}\n`,
      );
      return EXIT.TIMEOUT;
    }
    return EXIT.OK;
  },
};

interface PeersReply {
  peers: Array<{ id: string }>;
}

const status: CommandSpec = {
  command: "status",
  describe: "list the testnet's nodes: address, pid, height and peers",
  options: [dirOption],
  async handler({ options, io }) {
    const dir = resolve((options as { dir: string }).dir);
    const state = await requireTestnet(dir);
    const rows = await Promise.all(
      state.nodes.map(async (n) => {
        const alive = isAlive(n.pid);
        const [peers, st] = alive
          ? await Promise.all([
              ask<PeersReply>(n, "/v1/peers"),
              ask<{ storage: { height: number } }>(n, "/v1/status"),
            ])
          : [undefined, undefined];
        return {
          index: n.index,
          id: n.id,
          address: `${n.host}:${n.p2pPort}`,
          api: `${n.host}:${n.apiPort}`,
          pid: n.pid,
          alive,
          height: st?.storage.height ?? null,
          peers: peers?.peers.map((p) => p.id) ?? [],
        };
      }),
    );
    if (options.json) {
      printJson(io, { dir, networkId: state.networkId, nodes: rows });
      return 0;
    }
    println(
      io,
      `testnet ${state.networkId} in ${dir}: ${rows.filter((r) => r.alive).length}/${rows.length} running`,
    );
    for (const r of rows) {
      const mark = r.alive ? paint(io, "green", "up  ") : paint(io, "red", "down");
      const peers = r.peers.map((p) => p.slice(0, 8)).join(",");
      println(
        io,
        `${String(r.index).padStart(3)} ${mark} ${r.id.slice(0, 12)} ${r.address.padEnd(20)} pid ${String(r.pid ?? "-").padEnd(7)} h ${String(r.height ?? "-").padEnd(5)} peers ${r.peers.length}: ${peers}`,
      );
    }
    return 0;
  },
};

const down: CommandSpec = {
  command: "down",
  describe: "stop every process of the testnet (SIGTERM, then SIGKILL) and check none is left",
  options: [dirOption],
  async handler({ options, io }) {
    const dir = resolve((options as { dir: string }).dir);
    const state = await requireTestnet(dir);
    const pids = state.nodes.map((n) => n.pid).filter((p): p is number => p !== null && isAlive(p));
    const survivors = await stopAll(pids);
    for (const n of state.nodes) if (n.pid !== null && !survivors.includes(n.pid)) n.pid = null;
    await writeTestnet(dir, state);
    // The namespaces go only once nothing runs in them; `up` makes them again.
    const netFailures =
      state.net !== undefined && survivors.length === 0 ? destroyNetwork(state.net) : [];
    for (const f of netFailures) io.stderr.write(`anode: could not remove ${f}\n`);
    if (options.json) printJson(io, { dir, stopped: pids.length - survivors.length, survivors });
    else println(io, `testnet in ${dir}: stopped ${pids.length - survivors.length} process(es)`);
    if (survivors.length > 0) {
      io.stderr.write(`anode: these processes would not stop: ${survivors.join(", ")}\n`);
      return EXIT.FAILURE;
    }
    if (netFailures.length > 0) return EXIT.FAILURE;
    return EXIT.OK;
  },
};

export const testnetCommand: CommandSpec = {
  command: "testnet",
  describe:
    "run a local testnet of real node processes (loopback addresses or namespaces), or bundle one for several hosts",
  subcommands: [up, status, down, bundleCommand, dashboardCommand],
};
