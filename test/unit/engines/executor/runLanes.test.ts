import { describe, expect, it } from "vitest";
import { runLane, runLanes } from "../../../../src/engines/executor/runLane";
import type { LaneItem } from "../../../../src/engines/executor/txOutcome";
import type { VersionedStore } from "../../../../src/storage";
import { encodeValue, type KvTx, parseTx, scheduleBlock } from "../../../../src/tx";
import { prng } from "../../storage/helpers";

const LIMITS = { maxTxBytes: 65_536 };

/** The state after height - 1, as the store would answer reads of it. */
function storeOf(values: Record<string, number>): VersionedStore {
  return {
    read: async (key: string) => (key in values ? encodeValue(values[key] as number) : undefined),
  } as unknown as VersionedStore;
}

/** A random block over a few keys: increments and puts, some reading, some only writing. */
function block(seed: number, n: number): LaneItem[] {
  const rand = prng(seed);
  const key = () => `k${Math.floor(rand() * 6)}`;
  return Array.from({ length: n }, (_, index) => {
    const k = key();
    const tx: KvTx =
      rand() < 0.6
        ? parseTx(
            {
              kind: "kv",
              reads: [k],
              writes: [k],
              ops: [{ op: "increment", key: k, by: 1 + index }],
            },
            LIMITS,
          )
        : parseTx(
            { kind: "kv", reads: [], writes: [k], ops: [{ op: "put", key: k, value: index }] },
            LIMITS,
          );
    return { index, id: `tx${index}`, tx };
  });
}

describe("runLanes()", () => {
  it("gives every transaction of a block the outcome running the block in order gives", async () => {
    for (let seed = 1; seed <= 50; seed++) {
      const items = block(seed, 1 + (seed % 17));
      const store = storeOf({ k0: 10, k3: 7 });
      const inOrder = await runLane(store, 5, items);
      const { lanes } = scheduleBlock(items.map((i) => i.tx));
      const laned = await runLanes(
        store,
        5,
        lanes.map((lane) => lane.map((i) => items[i] as LaneItem)),
      );
      const byIndex = (xs: typeof inOrder) => [...xs].sort((a, b) => a.index - b.index);
      expect(byIndex(laned), `seed ${seed}`).toEqual(byIndex(inOrder));
    }
  });

  it("reads each key once, from the height before the block", async () => {
    const asked: Array<[string, number | undefined]> = [];
    const store = {
      read: async (key: string, at?: number) => {
        asked.push([key, at]);
        return undefined;
      },
    } as unknown as VersionedStore;
    const items = block(3, 12);
    const { lanes } = scheduleBlock(items.map((i) => i.tx));
    await runLanes(
      store,
      9,
      lanes.map((lane) => lane.map((i) => items[i] as LaneItem)),
    );
    const keys = asked.map(([k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
    expect(asked.every(([, at]) => at === 8)).toBe(true);
  });
});
