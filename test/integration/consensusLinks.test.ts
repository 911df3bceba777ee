import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NodeOptions } from "../../src/config";
import { CONSENSUS, STORAGE } from "../../src/engines";
import { blockId, decodeBlock, GENESIS_PARENT } from "../../src/engines/consensus/block";
import { type LogContext, type Logger, nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { type BrokerDelivery, type EngineModule, isBrokerDelivery, spawn } from "../../src/runtime";
import { useCleanups } from "../support/cleanups";
import { cli } from "../support/cliHarness";
import { chainNodeOptions } from "../support/inProcessChain";
import { putTx } from "../support/kvTxs";
import { eventually } from "../support/testnet";

const cleanup = useCleanups();

const plan = (n: number) => chainNodeOptions(n, "anode-links-", cleanup);

async function start(o: NodeOptions, log: Logger = nullLogger): Promise<AnodeNode> {
  const node = await AnodeNode.create(o, { log });
  cleanup(() => node.close());
  return node;
}

/** Four validators; the last one logs into `lastLog`. */
async function startFour(lastLog: Logger = nullLogger): Promise<AnodeNode[]> {
  const opts = await plan(4);
  return Promise.all(opts.map((o, i) => start(o, i === 3 ? lastLog : nullLogger)));
}

type Logged = Array<{ msg: string; context?: LogContext }>;

/** A logger that keeps the errors and warnings logged, with their context. */
function errorLog(): { log: Logger; errors: Logged; warnings: Logged } {
  const errors: Logged = [];
  const warnings: Logged = [];
  const log: Logger = {
    trace() {},
    debug() {},
    info() {},
    warn(msg, context) {
      warnings.push({ msg, ...(context ? { context } : {}) });
    },
    error(msg, context) {
      errors.push({ msg, ...(context ? { context } : {}) });
    },
    child: () => log,
  };
  return { log, errors, warnings };
}

interface Status {
  height: number;
  committedHeight: number;
  halted?: string;
  alarm?: string;
  activation?: { version: string; height: number; state: string };
  stats: { decided: number; caughtUp: number; diverged: number };
}
interface Commit {
  height: number;
  block: Uint8Array;
}

const chainStatus = async (n: AnodeNode) =>
  (await n.router.call({ engine: CONSENSUS }, { type: "status" })) as Status;
const storeHeight = async (n: AnodeNode) => (await chainStatus(n)).committedHeight;
const rootAt = async (n: AnodeNode, at: number) =>
  ((await n.router.call({ engine: STORAGE }, { type: "root", at })) as { root: string }).root;
const commits = async (n: AnodeNode, from: number) =>
  (await n.router.call(
    { engine: CONSENSUS },
    { type: "getCommits", chainId: "c0", from, max: 32 },
  )) as Commit[];

const allReach = (nodes: AnodeNode[], height: number, timeoutMs: number, what: string) =>
  eventually(
    async () => (await Promise.all(nodes.map(storeHeight))).every((h) => h >= height),
    timeoutMs,
    what,
  );

async function submit(n: AnodeNode, key: string, value: string): Promise<string> {
  const [r] = (await n.router.call(
    { engine: "mempool" },
    { type: "submit", txs: [putTx(key, value)] },
  )) as Array<{ id: string }>;
  return (r as { id: string }).id;
}

async function committedOn(nodes: AnodeNode[], id: string): Promise<boolean> {
  const states = await Promise.all(
    nodes.map(
      async (n) =>
        ((await n.router.call({ engine: "mempool" }, { type: "status", id })) as { state: string })
          .state,
    ),
  );
  return states.every((s) => s === "committed");
}

/** Every committed block of `n` up to `upTo` is there, names the block before it and the root after it. */
async function expectLinked(n: AnodeNode, upTo: number): Promise<void> {
  let previous = GENESIS_PARENT;
  let height = 1;
  while (height <= upTo) {
    const page = await commits(n, height);
    expect(page.length, `commits from height ${height}`).toBeGreaterThan(0);
    for (const c of page) {
      if (height > upTo) break;
      expect(c.height).toBe(height);
      const block = decodeBlock(c.block);
      expect(block.height).toBe(height);
      expect(block.parent, `parent of block ${height}`).toBe(previous);
      expect(block.stateRoot, `state root in block ${height}`).toBe(await rootAt(n, height - 1));
      previous = blockId(c.block);
      height++;
    }
  }
}

/** `anode chain status` against an in-process node, as its operator would run it. */
const chainCli = (n: AnodeNode) =>
  cli([
    "--data-dir",
    n.options.dataDir,
    "--api-port",
    String(n.options.api.port),
    "chain",
    "status",
  ]);

/** Collects the broker events a node publishes on one topic. */
const sink: EngineModule<BrokerDelivery[], void> = {
  name: "divergence-sink",
  version: "1",
  init: () => [],
  handleInfo: (msg, s) => (isBrokerDelivery(msg) ? [...s, msg] : s),
  handleCall: (_m, _f, s) => ({ reply: s, state: s }),
};

describe("consensus chain links (in process, real websockets)", () => {
  it("every committed block names the id of the block before it and the state root after it", async () => {
    const nodes = await startFour();
    await allReach(nodes, 2, 20_000, "two commits on every node");
    const id = await submit(nodes[1] as AnodeNode, "a", "1");
    await eventually(() => committedOn(nodes, id), 20_000, `tx ${id} committed on every node`);
    const second = await submit(nodes[2] as AnodeNode, "b", "2");
    await eventually(() => committedOn(nodes, second), 20_000, `tx ${second} on every node`);
    const reached = Math.min(...(await Promise.all(nodes.map(storeHeight))));
    for (const n of nodes) await expectLinked(n, reached);
    // The roots named in the blocks are the ones every node computed.
    for (let h = 1; h <= reached; h++) {
      const roots = await Promise.all(nodes.map((n) => rootAt(n, h)));
      expect(new Set(roots).size, `roots at height ${h}`).toBe(1);
    }
    for (const n of nodes) {
      const s = await chainStatus(n);
      expect(s.halted).toBeUndefined();
      expect(s.stats.diverged).toBe(0);
    }
  }, 60_000);

  it("a node whose state diverges raises the alarm and halts at the first block naming the other root; the other three go on", async () => {
    const logged = errorLog();
    const nodes = await startFour(logged.log);
    const odd = nodes[3] as AnodeNode;
    const honest = nodes.slice(0, 3);
    const events = await spawn(sink, undefined, { registry: odd.registry, name: sink.name });
    cleanup(() => events.stop());
    await odd.broker.subscribe([{ name: "topic", params: "consensus.divergence" }], {
      address: { engine: sink.name },
    });
    const id = await submit(nodes[0] as AnodeNode, "x", "1");
    await eventually(() => committedOn(nodes, id), 20_000, `tx ${id} committed on every node`);

    // The least invasive divergence: an operator's expunge on one node alone changes its
    // root between two heights, through the store's own API.
    const expungedAt = await storeHeight(odd);
    await odd.router.call(
      { engine: STORAGE },
      { type: "expunge", key: "x", reason: "test: this node's state diverges" },
    );

    let halted: Status | undefined;
    await eventually(
      async () => {
        halted = await chainStatus(odd);
        return halted.halted !== undefined;
      },
      20_000,
      "the diverged node to halt",
    );
    const s = halted as Status;
    const match =
      /^c0 diverged at height (\d+): block says root ([0-9a-f]{64}), this node computed ([0-9a-f]{64})$/.exec(
        s.halted as string,
      );
    expect(match, s.halted).not.toBeNull();
    const at = Number(match?.[1]);
    // The first block after the expunge or the one after it (the expunge may land after
    // this node checked the next block).
    expect(at).toBeGreaterThan(expungedAt);
    expect(at).toBeLessThanOrEqual(expungedAt + 2);
    expect(s.committedHeight).toBe(at - 1);
    expect(s.alarm).toBe(s.halted);
    expect(s.stats.diverged).toBeGreaterThan(0);
    // The block's root is the one the others computed; this node's is another.
    const honestRoot = await rootAt(honest[0] as AnodeNode, at - 1);
    expect(match?.[2]).toBe(honestRoot);
    expect(match?.[3]).toBe(await rootAt(odd, at - 1));
    expect(match?.[3]).not.toBe(honestRoot);

    expect(logged.errors).toContainEqual({
      msg: "decided block does not extend this node's chain: halting",
      context: expect.objectContaining({
        height: at,
        field: "stateRoot",
        block: honestRoot,
        own: match?.[3],
      }),
    });
    const received = (await events.call("get")) as BrokerDelivery[];
    expect(received.map((e) => e.event.body)).toContainEqual(
      expect.objectContaining({ chainId: "c0", source: "commit", height: at, field: "stateRoot" }),
    );

    // Three of four validators are a quorum: they keep committing, and agree.
    await allReach(honest, at + 3, 30_000, "three more commits on the honest nodes");
    const reached = Math.min(...(await Promise.all(honest.map(storeHeight))));
    for (const n of honest) expect((await chainStatus(n)).halted).toBeUndefined();
    await expectLinked(honest[0] as AnodeNode, reached);
    for (let h = at - 1; h <= reached; h++) {
      const roots = await Promise.all(honest.map((n) => rootAt(n, h)));
      expect(new Set(roots).size, `honest roots at height ${h}`).toBe(1);
    }
    // And the halted node stays where it stopped, signing and applying nothing.
    expect(await storeHeight(odd)).toBe(at - 1);
    const printed = await chainCli(odd);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`halted      ${s.halted}\n`);
  }, 90_000);

  it("a scheduled activation pauses every node at its height with the height before committed, and activated resumes them all", async () => {
    const nodes = await startFour();
    await allReach(nodes, 2, 20_000, "two commits on every node");
    const height = Math.max(...(await Promise.all(nodes.map(storeHeight)))) + 3;
    const version = "9.9.9";
    for (const n of nodes)
      n.router.cast({ engine: CONSENSUS }, { type: "scheduleActivation", version, height });

    const halt = `halted at height ${height}: needs release ${version} (upgrade needed)`;
    await eventually(
      async () =>
        (await Promise.all(nodes.map(chainStatus))).every(
          (s) => s.halted === halt && s.activation?.state === "waiting",
        ),
      20_000,
      `every node to pause at height ${height}`,
    );
    // It stays paused: nothing of the height is committed anywhere.
    await new Promise((r) => setTimeout(r, 1500));
    for (const s of await Promise.all(nodes.map(chainStatus))) {
      expect(s.committedHeight).toBe(height - 1);
      expect(s.height).toBe(height);
      expect(s.halted).toBe(halt);
      expect(s.activation).toEqual({ version, height, state: "waiting" });
    }

    for (const n of nodes)
      n.router.cast({ engine: CONSENSUS }, { type: "activated", version, height });
    await allReach(nodes, height + 3, 30_000, "three commits after the activation height");
    const reached = Math.min(...(await Promise.all(nodes.map(storeHeight))));
    for (const n of nodes) {
      const s = await chainStatus(n);
      expect(s.halted).toBeUndefined();
      expect(s.activation).toBeUndefined();
      await expectLinked(n, reached);
    }
    for (let h = height - 1; h <= reached; h++) {
      const roots = await Promise.all(nodes.map((n) => rootAt(n, h)));
      expect(new Set(roots).size, `roots at height ${h}`).toBe(1);
    }
  }, 90_000);

  it("an activation scheduled for the height a node stands at, with nothing signed there yet, still pauses it; cancelActivation lets it go on", async () => {
    const [o] = await plan(1);
    const opts = o as NodeOptions;
    // A lone validator that waits 1.5 s before proposing an empty block: a window in which
    // it stands at the next height with nothing signed.
    const node = await start({
      ...opts,
      consensus: { ...opts.consensus, emptyBlockIntervalMs: 1500 },
    });
    await allReach([node], 1, 10_000, "the first commit");
    const before = await storeHeight(node);
    await eventually(
      async () => (await storeHeight(node)) > before,
      10_000,
      "the next commit, to stand right after it",
    );
    const s0 = await chainStatus(node);
    const height = s0.committedHeight + 1;
    expect(s0.height).toBe(height);
    node.router.cast(
      { engine: CONSENSUS },
      { type: "scheduleActivation", version: "2.0.0", height },
    );

    const halt = `halted at height ${height}: needs release 2.0.0 (upgrade needed)`;
    await eventually(
      async () => (await chainStatus(node)).halted === halt,
      5_000,
      `the node to pause at height ${height}, where it stood`,
    );
    // Well past the empty-block interval: it proposed nothing.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await storeHeight(node)).toBe(height - 1);

    // A cancelled activation: the chain goes on at the height, with the old code.
    node.router.cast({ engine: CONSENSUS }, { type: "cancelActivation", version: "2.0.0" });
    await allReach([node], height + 1, 15_000, "two commits after the cancel");
    const after = await chainStatus(node);
    expect(after.halted).toBeUndefined();
    expect(after.activation).toBeUndefined();
    await expectLinked(node, after.committedHeight);
  }, 60_000);

  it("an activation for a height the chain has passed does not pause it: consensus says so and tells the upgrade engine, which would take the release late", async () => {
    const [o] = await plan(1);
    const { log, errors, warnings } = errorLog();
    const node = await start(o as NodeOptions, log);
    await allReach([node], 3, 15_000, "three commits");
    const committed = await storeHeight(node);
    node.router.cast(
      { engine: CONSENSUS },
      { type: "scheduleActivation", version: "9.9.9", height: 2 },
    );
    await eventually(
      async () =>
        warnings.some(
          (w) =>
            w.msg === "consensus waits for an activation this node does not know" &&
            (w.context?.passed as number) >= committed,
        ),
      5_000,
      "the upgrade engine to hear that the chain passed the height",
    );
    expect(errors.map((e) => e.msg)).toContain(
      "activation comes too late: this node is already past its height",
    );
    await allReach([node], committed + 2, 15_000, "two more commits: no pause");
    expect((await chainStatus(node)).halted).toBeUndefined();
  }, 60_000);

  it("a node restarted while paused holds its first height until the activation is re-sent, signing nothing there", async () => {
    const opts = await plan(4);
    const nodes = await Promise.all(opts.map((o) => start(o)));
    await allReach(nodes, 2, 20_000, "two commits on every node");
    const height = Math.max(...(await Promise.all(nodes.map(storeHeight)))) + 3;
    const schedule = { type: "scheduleActivation", version: "9.9.9", height };
    for (const n of nodes) n.router.cast({ engine: CONSENSUS }, schedule);
    const halt = `halted at height ${height}: needs release 9.9.9 (upgrade needed)`;
    await eventually(
      async () => (await Promise.all(nodes.map(chainStatus))).every((s) => s.halted === halt),
      20_000,
      `every node to pause at height ${height}`,
    );

    // The activation is in memory only: the restarted engine hears of it again from the
    // upgrade engine within a second (here: from the test, a little later than at once).
    await (nodes[3] as AnodeNode).close();
    const again = await start(opts[3] as NodeOptions);
    await new Promise((r) => setTimeout(r, 500));
    again.router.cast({ engine: CONSENSUS }, schedule);
    await eventually(
      async () => (await chainStatus(again)).halted === halt,
      5_000,
      "the restarted node to pause again",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const signed = JSON.parse(
      readFileSync(join(again.options.dataDir, "consensus-c0.signed"), "utf8"),
    ) as { height: number };
    expect(signed.height, "the last height the restarted node signed at").toBeLessThan(height);
    expect(await storeHeight(again)).toBe(height - 1);

    const all = [...nodes.slice(0, 3), again];
    for (const n of all)
      n.router.cast({ engine: CONSENSUS }, { type: "activated", version: "9.9.9", height });
    await allReach(all, height + 2, 30_000, "two commits after the activation height");
    for (let h = height - 1; h <= height + 2; h++) {
      const roots = await Promise.all(all.map((n) => rootAt(n, h)));
      expect(new Set(roots).size, `roots at height ${h}`).toBe(1);
    }
  }, 90_000);
});
