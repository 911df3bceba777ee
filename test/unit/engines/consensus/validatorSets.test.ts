import { describe, expect, it } from "vitest";
import { encodeSchedule, entriesOf, type ValidatorSchedule } from "../../../../src/consensus";
import { encodeBlock } from "../../../../src/engines/consensus/block";
import type { ChainState } from "../../../../src/engines/consensus/chainState";
import {
  chainAt,
  changesValidators,
  noteDecided,
  onSetsLoaded,
  readSets,
  refreshSets,
} from "../../../../src/engines/consensus/validatorSets";
import type { EngineContext } from "../../../../src/runtime";
import type { VersionedStore } from "../../../../src/storage";
import { encodeTx, encodeValue, parseTx, VALIDATORS_KEY } from "../../../../src/tx";
import { CHAIN, fixture } from "../../consensus/fixtures";

const f = fixture([1, 1, 1, 1]);
const smaller = fixture([1, 1, 1]);
const schedule: ValidatorSchedule = {
  changes: 1,
  sets: [
    { from: 0, validators: entriesOf(f.chain.validators) },
    { from: 7, validators: entriesOf(smaller.chain.validators) },
  ],
};

/** A store at `height` holding `value` under anode/validators (or nothing). */
function store(height: number, value?: string): VersionedStore {
  return {
    height,
    read: async (key: string) =>
      key === VALIDATORS_KEY && value !== undefined ? encodeValue(value) : undefined,
  } as unknown as VersionedStore;
}

function chainState(s: VersionedStore): ChainState {
  return {
    args: { chain: f.chain, store: s },
    sets: {
      stored: undefined,
      asOf: -1,
      changes: [s.height],
      loading: false,
      broken: undefined,
      waitingStart: undefined,
    },
  } as unknown as ChainState;
}

/** Collects what the module tells the engine. */
function context() {
  const infos: unknown[] = [];
  return { ctx: { info: (m: unknown) => infos.push(m) } as unknown as EngineContext, infos };
}

const block = (txs: Uint8Array[]) =>
  encodeBlock({ chainId: CHAIN, height: 5, time: 0, proposer: f.ids[0] as string, txs });

describe("validator sets by height in the consensus engine", () => {
  it("knows nothing before it has read the store, then answers from what it read", async () => {
    const state = chainState(store(4, encodeSchedule(schedule)));
    expect(chainAt(state, 5)).toBeUndefined();
    const { ctx, infos } = context();
    refreshSets(state, ctx);
    refreshSets(state, ctx); // one read at a time
    await new Promise((r) => setTimeout(r, 0));
    expect(infos).toHaveLength(1);
    state.sets.waitingStart = 5;
    const start = onSetsLoaded(state, infos[0] as Parameters<typeof onSetsLoaded>[1]);
    expect(start).toBe(5);
    expect(chainAt(state, 6)?.validators).toEqual(f.chain.validators);
    expect(chainAt(state, 7)?.validators.validators.map((v) => v.id)).toEqual(smaller.ids);
  });

  it("waits for the store after a decided block that carries a change, not after others", async () => {
    const state = chainState(store(4));
    Object.assign(state.sets, { asOf: 4, changes: [] });
    const change = parseTx(
      {
        kind: "kv",
        reads: [VALIDATORS_KEY],
        writes: [VALIDATORS_KEY],
        ops: [{ op: "put", key: VALIDATORS_KEY, value: "{}" }],
      },
      { maxTxBytes: 65_536 },
    );
    const plain = parseTx(
      { kind: "kv", reads: [], writes: ["k"], ops: [{ op: "put", key: "k", value: 1 }] },
      { maxTxBytes: 65_536 },
    );
    expect(changesValidators(block([encodeTx(plain)]))).toBe(false);
    expect(changesValidators(new Uint8Array([1, 2, 3]))).toBe(false);
    noteDecided(state, 5, block([encodeTx(plain)]));
    expect(chainAt(state, 9)).toBeDefined();
    noteDecided(state, 6, block([encodeTx(plain), encodeTx(change)]));
    // Heights up to 7 follow from state at 5 or before; 8 on from state at 6.
    expect(chainAt(state, 7)).toBeDefined();
    expect(chainAt(state, 8)).toBeUndefined();
    const { ctx, infos } = context();
    refreshSets(state, ctx);
    expect(infos).toHaveLength(0); // the store has not committed 6 yet
    state.args.store = store(6, encodeSchedule(schedule));
    refreshSets(state, ctx);
    await new Promise((r) => setTimeout(r, 0));
    onSetsLoaded(state, infos[0] as Parameters<typeof onSetsLoaded>[1]);
    expect(state.sets.changes).toEqual([]);
    expect(chainAt(state, 8)?.validators.validators).toHaveLength(3);
  });

  it("refuses to guess when the stored schedule is unusable", async () => {
    const read = await readSets(store(3, "not json"));
    expect(read.broken).toMatch(/is not JSON/);
    const state = chainState(store(3, "not json"));
    expect(onSetsLoaded(state, read)).toBeUndefined();
    expect(chainAt(state, 4)).toBeUndefined();
    expect(state.sets.broken).toMatch(/is not JSON/);
  });
});
