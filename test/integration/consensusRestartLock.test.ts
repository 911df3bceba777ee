import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NodeOptions } from "../../src/config";
import {
  type ConsensusMessage,
  type ConsensusValue,
  createValidatorSet,
  proposerOf,
  type Signed,
  signBytes,
  type ValidatorSet,
} from "../../src/consensus";
import { blockId, CONSENSUS, encodeBlock } from "../../src/engines";
import { GENESIS_PARENT } from "../../src/engines/consensus/block";
import { nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { loadOrCreateIdentity, type NodeIdentity } from "../../src/p2p";
import { useCleanups } from "../support/cleanups";
import { chainNodeOptions } from "../support/inProcessChain";
import { eventually } from "../support/testnet";

const cleanup = useCleanups();

type Status = {
  height: number;
  round: number;
  step: string;
  lockedRound: number;
  signing: string;
  alarm?: string;
};
interface SignedJson {
  message: { type: string; height: number; round: number; valueId?: string | null };
}
interface RecordJson {
  height: number;
  round: number;
  step: string;
  lockedRound: number;
  signed: SignedJson;
  earlier: SignedJson[];
}

/**
 * One real validator (real LevelDB, its record on disk), whose three peers are played by
 * the test: it signs their messages with their keys and hands them to the validator's
 * consensus engine as gossip, so what the validator sees, and when, is the test's.
 */
async function lone(): Promise<{
  options: NodeOptions;
  set: ValidatorSet;
  others: NodeIdentity[];
  start(): Promise<AnodeNode>;
}> {
  const all = await chainNodeOptions(4, "anode-lock-", cleanup);
  const ids = all.map((o) => loadOrCreateIdentity(o.dataDir));
  const validators = (all[0] as NodeOptions).consensus.chains[0]?.validators ?? [];
  const set = createValidatorSet(
    validators.map((v) => ({
      ...v,
      publicKey: new Uint8Array(Buffer.from(v.publicKey, "base64")),
    })),
  );
  // The validator under test proposes neither round 0 nor round 1 of height 1.
  const busy = new Set([proposerOf(set, 1, 0), proposerOf(set, 1, 1)]);
  const index = ids.findIndex((id) => !busy.has(id.id));
  const base = all[index] as NodeOptions;
  // No timeout may pre-empt the test's messages; the precommit timeout after a restore is short.
  const options: NodeOptions = {
    ...base,
    p2p: { ...base.p2p, peers: [] },
    consensus: { ...base.consensus, proposeTimeoutMs: 60_000 },
  };
  return {
    options,
    set,
    others: ids.filter((_, i) => i !== index),
    async start() {
      const node = await AnodeNode.create(options, { log: nullLogger });
      cleanup(() => node.close());
      return node;
    },
  };
}

const status = async (n: AnodeNode) =>
  (await n.router.call({ engine: CONSENSUS }, { type: "status" })) as Status;

function sign(m: ConsensusMessage, key: NodeIdentity): Signed {
  return { message: m, signature: key.sign(signBytes(m)) };
}

function gossip(node: AnodeNode, signed: Signed): void {
  node.router.cast({ engine: CONSENSUS }, { type: "gossip", body: signed, from: "test" });
}

async function heightOneValue(node: AnodeNode, proposer: string, tag: number) {
  const { root } = (await node.router.call({ engine: "storage" }, { type: "root", at: 0 })) as {
    root: string;
  };
  const bytes = encodeBlock({
    chainId: "c0",
    height: 1,
    time: 1_000 + tag,
    proposer,
    parent: GENESIS_PARENT,
    stateRoot: root,
    txs: [],
  });
  return { id: blockId(bytes), block: bytes } satisfies ConsensusValue;
}

const readRecord = (o: NodeOptions): RecordJson | undefined => {
  try {
    return JSON.parse(readFileSync(join(o.dataDir, "consensus-c0.signed"), "utf8")) as RecordJson;
  } catch {
    return undefined;
  }
};

/** What the record says the validator signed at (height 1, round, type). */
const signedAt = (r: RecordJson | undefined, round: number, type: string) =>
  [...(r?.earlier ?? []), ...(r ? [r.signed] : [])].find(
    (s) => s.message.height === 1 && s.message.round === round && s.message.type === type,
  );

/**
 * Height 1: A is proposed in round 0 and the validator sees 2f+1 prevotes for it, so it
 * locks A and precommits it. Then it stops. After a restart, round 1 proposes B (no
 * proof of lock); what does it prevote?
 */
async function lockThenRestart(
  forgetRecord: boolean,
): Promise<{ prevote: SignedJson; record: RecordJson; again: Status }> {
  const v = await lone();
  let node = await v.start();
  const keyOf = (id: string) => v.others.find((k) => k.id === id) as NodeIdentity;
  const round0 = keyOf(proposerOf(v.set, 1, 0));
  const round1 = keyOf(proposerOf(v.set, 1, 1));
  const voters = v.others.slice(0, 2);
  const A = await heightOneValue(node, round0.id, 0);
  const B = await heightOneValue(node, round1.id, 1);
  const at = { chainId: "c0", height: 1 };
  // After the startup hold (1.5 s), the validator stands at height 1, round 0.
  await eventually(
    async () => (await status(node)).step === "propose",
    10_000,
    "height 1 round 0 in step propose",
  );
  await new Promise((r) => setTimeout(r, 1_700));
  gossip(
    node,
    sign(
      { type: "proposal", ...at, round: 0, value: A, validRound: -1, proposer: round0.id },
      round0,
    ),
  );
  for (const k of voters) {
    gossip(node, sign({ type: "prevote", ...at, round: 0, valueId: A.id, voter: k.id }, k));
  }
  await eventually(
    async () => (await status(node)).lockedRound === 0,
    10_000,
    "the validator to lock A in round 0",
  );
  const locked = readRecord(v.options) as RecordJson;
  expect(locked).toMatchObject({ height: 1, round: 0, step: "precommit", lockedRound: 0 });
  expect(locked.signed.message.valueId).toBe(A.id);

  await node.close();
  if (forgetRecord) rmSync(join(v.options.dataDir, "consensus-c0.signed"));
  node = await v.start();
  await new Promise((r) => setTimeout(r, 1_700)); // the startup hold
  // Two validators in round 1 (f+1): the validator moves there if it is not already.
  for (const k of voters) {
    gossip(node, sign({ type: "prevote", ...at, round: 1, valueId: null, voter: k.id }, k));
  }
  await eventually(async () => (await status(node)).round === 1, 10_000, "round 1");
  gossip(
    node,
    sign(
      { type: "proposal", ...at, round: 1, value: B, validRound: -1, proposer: round1.id },
      round1,
    ),
  );
  await eventually(
    async () => signedAt(readRecord(v.options), 1, "prevote") !== undefined,
    10_000,
    "the validator to prevote in round 1",
  );
  const record = readRecord(v.options) as RecordJson;
  const prevote = signedAt(record, 1, "prevote") as SignedJson;
  const again = await status(node);
  await node.close();
  return { prevote, record, again };
}

describe("a validator across restarts: its lock and its record (in process, real LevelDB)", () => {
  it("locked on A before the restart, it prevotes nil on B after it", async () => {
    const { prevote, record, again } = await lockThenRestart(false);
    expect(prevote.message.valueId).toBeNull();
    expect(record.lockedRound).toBe(0);
    expect(again.lockedRound).toBe(0);
    // What it signed before the restart is still what the record holds at that position.
    expect(signedAt(record, 0, "precommit")?.message.valueId).not.toBeNull();
  }, 60_000);

  it("control: with its record removed before the restart, the same validator prevotes B", async () => {
    const { prevote, record } = await lockThenRestart(true);
    expect(prevote.message.valueId).not.toBeNull();
    expect(record.lockedRound).toBe(-1);
  }, 60_000);

  it("a validator whose record is unreadable signs nothing on the chain and says why", async () => {
    const v = await lone();
    const file = join(v.options.dataDir, "consensus-c0.signed");
    writeFileSync(file, '{"format":"anode-consensus-signed/2","chainId":"c0","hei');
    const node = await v.start();
    const s = await status(node);
    expect(s.signing).toMatch(/^refused: the record is unreadable \(not JSON\)/);
    expect(s.alarm).toMatch(/not signing: its record .*consensus-c0\.signed is unreadable/);
    // A proposal it would prevote on: nothing is signed, the file stays as it was.
    const proposer = v.others.find((k) => k.id === proposerOf(v.set, 1, 0)) as NodeIdentity;
    const A = await heightOneValue(node, proposer.id, 0);
    await new Promise((r) => setTimeout(r, 1_700));
    gossip(
      node,
      sign(
        {
          type: "proposal",
          chainId: "c0",
          height: 1,
          round: 0,
          value: A,
          validRound: -1,
          proposer: proposer.id,
        },
        proposer,
      ),
    );
    await eventually(
      async () => (await status(node)).step === "prevote",
      10_000,
      "the core to reach its prevote (which the guard refuses to sign)",
    );
    expect(readFileSync(file, "utf8")).toBe(
      '{"format":"anode-consensus-signed/2","chainId":"c0","hei',
    );
    await node.close();
  }, 60_000);
});
