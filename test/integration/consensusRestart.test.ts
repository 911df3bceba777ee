import { readFileSync, watch } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestnet } from "../../src/cli/commands/testnet/createTestnet";
import type { TestnetNode } from "../../src/cli/commands/testnet/testnetState";
import { useCleanups } from "../support/cleanups";
import { putTx } from "../support/kvTxs";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import { eventually, nodeApi } from "../support/testnet";

/**
 * SIGKILLs of the validator under test: right after it signs its first vote or proposal
 * of a height, right after it precommits (both before the height is committed: the
 * restart takes the height up from the record), and at a random moment.
 */
const KILLS = 9;
/** The load: one transaction this often, to the other nodes in turn, at most MAX_TXS. */
const TX_EVERY_MS = 100;
const MAX_TXS = 400;

const cleanup = useCleanups();

interface SignedJson {
  message: {
    type: string;
    height: number;
    round: number;
    valueId?: string | null;
    value?: { id: string };
    validRound?: number;
  };
}
interface RecordJson {
  height: number;
  round: number;
  step: string;
  signed: SignedJson;
  earlier: SignedJson[];
}

const RANK: Record<string, number> = { proposal: 0, prevote: 1, precommit: 2 };

/**
 * Everything the validator's records said it signed, by position: a record holds every
 * message of its height, so reading it after each kill, before the restart, collects what
 * each incarnation signed there.
 */
class SignedLog {
  readonly byPosition = new Map<string, string>();
  readonly conflicts: string[] = [];
  private lastPosition: number[] = [0, 0, 0];
  private lastText = "";

  take(text: string, when: string): RecordJson {
    const r = JSON.parse(text) as RecordJson;
    if (text === this.lastText) return r;
    this.lastText = text;
    for (const s of [...r.earlier, r.signed]) {
      const m = s.message;
      const at = `${m.height}/${m.round}/${m.type}`;
      const what = m.type === "proposal" ? `${m.value?.id}/${m.validRound}` : String(m.valueId);
      const before = this.byPosition.get(at);
      if (before === undefined) this.byPosition.set(at, what);
      else if (before !== what) this.conflicts.push(`${when}: ${at} was ${before}, now ${what}`);
    }
    const position = [r.height, r.round, RANK[r.step] ?? -1];
    if (compare(position, this.lastPosition) < 0) {
      this.conflicts.push(`${when}: the record went back to ${position} from ${this.lastPosition}`);
    }
    this.lastPosition = position;
    return r;
  }
}

function compare(a: number[], b: number[]): number {
  return (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
}

/** What a node logged (JSON lines, on stderr) and printed. */
const logOf = (p: NodeProcess) => p.output().stdout + p.output().stderr;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a validator SIGKILLed mid-round and restarted, over and over (4 real processes)", () => {
  it("never signs two messages at one position, restores from its record, and the chain keeps committing", async () => {
    const dir = tempDir("anode-restart-");
    cleanup(() => dir.remove());
    const basePort = await freePort("127.0.0.2");
    const net = await createTestnet(
      { nodes: 4, degree: 3, basePort, networkId: "anode-restart", validators: 4, chains: 1 },
      join(dir.path, "net"),
    );
    const procs: NodeProcess[] = [];
    const start = async (n: TestnetNode) => {
      // Children of this process (not detached), so a SIGKILLed one is reaped and gone.
      const proc = await startNodeProcess(["--config", n.config], {
        env: { ANODE_P2P_LISTEN: `${n.host}:${n.p2pPort}` },
      });
      procs[n.index] = proc;
      cleanup(async () => {
        await proc.stop();
      });
      return proc;
    };
    for (const n of net.nodes) await start(n);
    const [, victim] = net.nodes as [TestnetNode, TestnetNode, TestnetNode, TestnetNode];
    const others = net.nodes.filter((n) => n !== victim);
    const recordFile = join(victim.dir, "consensus-chain-0.signed");
    const height = async (n: TestnetNode) =>
      (await nodeApi<{ storage: { height: number } }>(n, "GET", "/v1/status")).storage.height;
    const readRecord = () => {
      try {
        return readFileSync(recordFile, "utf8");
      } catch {
        return "";
      }
    };

    // Bounded load on the three others, throughout.
    const submitted: string[] = [];
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading && i < MAX_TXS; i++) {
        const n = others[i % others.length] as TestnetNode;
        try {
          const r = await nodeApi<{ id: string }>(n, "POST", "/v1/tx", putTx(`k${i}`, i));
          submitted.push(r.id);
        } catch {
          // a slow answer under load: the next one goes on
        }
        await sleep(TX_EVERY_MS);
      }
    })();

    await eventually(
      async () => (await height(victim)) >= 2,
      30_000,
      "two commits before the first kill",
    );
    const log = new SignedLog();
    // Every version of the record seen, not only those at the kills: each holds all its
    // height's messages, so the heights between kills are checked too.
    const watcher = watch(victim.dir, () => {
      const text = readRecord();
      if (text !== "") log.take(text, "while running");
    });
    cleanup(() => watcher.close());
    /** Resolves as soon as the record is replaced with one that `wanted` accepts. */
    const signed = (k: number, wanted: (r: RecordJson) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const before = readRecord();
        const check = () => {
          const text = readRecord();
          if (text === before || text === "") return false;
          try {
            return wanted(JSON.parse(text) as RecordJson);
          } catch {
            return false;
          }
        };
        // inotify and friends see the rename at once; the poll is a fallback.
        const watcher = watch(victim.dir, () => {
          if (check()) done();
        });
        const poll = setInterval(() => {
          if (check()) done();
        }, 20);
        const timer = setTimeout(() => {
          done();
          reject(new Error(`kill ${k}: the victim signed nothing of the kind in 20 s`));
        }, 20_000);
        function done() {
          watcher.close();
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      });
    const incarnations: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const mode = k % 3;
      const wanted =
        mode === 0
          ? (r: RecordJson) => r.step !== "precommit"
          : mode === 1
            ? (r: RecordJson) => r.step === "precommit"
            : () => true;
      await signed(k, wanted);
      if (mode === 2) await sleep(Math.random() * 600);
      const proc = procs[victim.index] as NodeProcess;
      await proc.kill();
      incarnations.push(logOf(proc));
      const r = log.take(readRecord(), `kill ${k}`);
      const atKill = Math.max(...(await Promise.all(others.map(height))));
      await sleep(Math.random() * 500);
      await start(victim);
      await eventually(
        async () => Math.max(...(await Promise.all(others.map(height)))) > atKill,
        30_000,
        `a commit after kill ${k} (at height ${r.height} round ${r.round} ${r.step})`,
      );
    }
    loading = false;
    await load;

    // The restarted validator catches up, every node has the same roots, and the load committed.
    const target = Math.max(...(await Promise.all(others.map(height))));
    await eventually(
      async () => (await height(victim)) >= target,
      30_000,
      "the victim to catch up",
    );
    for (let h = 1; h <= target; h++) {
      const roots = await Promise.all(
        net.nodes.map(
          async (n) => (await nodeApi<{ root: string }>(n, "GET", `/v1/root?at=${h}`)).root,
        ),
      );
      expect(new Set(roots).size, `roots at height ${h}`).toBe(1);
    }
    for (const id of submitted) {
      await eventually(
        async () =>
          (await nodeApi<{ status: { state: string } }>(victim, "GET", `/v1/tx/${id}`)).status
            .state === "committed",
        30_000,
        `tx ${id} committed`,
      );
    }
    log.take(readRecord(), "the end");

    // What it signed: never two messages at one position, by its records...
    expect(log.conflicts).toEqual([]);
    expect(log.byPosition.size).toBeGreaterThan(KILLS);
    // ...nor as its peers saw it: none of them detected an equivocation.
    for (const n of net.nodes) {
      const chain = await nodeApi<{ stats: { evidence: number }; signing: string }>(
        n,
        "GET",
        "/v1/chain",
      );
      expect(chain.stats.evidence, `equivocations seen by node ${n.index}`).toBe(0);
      expect(chain.signing).toBe("ok");
    }
    const restoredLines = incarnations
      .slice(1)
      .map((out) => out.split("\n").find((l) => l.includes("consensus restored from its record")))
      .filter((l) => l !== undefined);
    const restored = restoredLines.length;
    const locked = restoredLines.filter((l) => !l.includes('"lockedRound":-1')).length;
    console.log(
      `consensus restart: ${KILLS} SIGKILLs, ${restored} restarts took their height up from the record ` +
        `(${locked} with a lock), ` +
        `${log.byPosition.size} signed positions checked, ${submitted.length} txs committed, height ${target}`,
    );
    expect(restored, "restarts that restored a height from the record").toBeGreaterThan(0);
  }, 300_000);
});
