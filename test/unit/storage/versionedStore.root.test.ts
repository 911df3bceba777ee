import { describe, expect, it } from "vitest";
import { type BlockWrite, VersionedStore } from "../../../src/storage";
import { encodeUserKey } from "../../../src/storage/dataKey";
import { addTerm, EMPTY_ROOT, rootTerm, rootToHex } from "../../../src/storage/stateRoot";
import { prng, useTempDirs } from "./helpers";

const temp = useTempDirs();

/** The root of a model state, computed independently of the store. */
function modelRoot(state: Map<string, Uint8Array>): string {
  let root = EMPTY_ROOT;
  for (const [key, value] of state) root = addTerm(root, rootTerm(encodeUserKey(key), value));
  return rootToHex(root);
}

describe("VersionedStore state root", () => {
  it.each([1, 2, 3])(
    "the incremental root equals computeRoot() after random puts and deletes (seed %i)",
    async (seed) => {
      const random = prng(seed);
      const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
      const keys = Array.from({ length: 12 }, (_, i) => `k${i}${i % 3 === 0 ? "/x" : ""}`);
      const model = new Map<string, Uint8Array>();
      const rootsByHeight: string[] = [store.root];
      const modelsByHeight: Array<Map<string, Uint8Array>> = [new Map()];

      for (let height = 1; height <= 40; height++) {
        const writes: BlockWrite[] = [];
        const used = new Set<string>();
        const count = Math.floor(random() * 8);
        for (let w = 0; w < count; w++) {
          const key = keys[Math.floor(random() * keys.length)] as string;
          const index = Math.floor(random() * 6);
          if (used.has(`${key}@${index}`)) continue;
          used.add(`${key}@${index}`);
          const value =
            random() < 0.3
              ? undefined
              : Uint8Array.from({ length: Math.floor(random() * 5) }, () =>
                  Math.floor(random() * 256),
                );
          writes.push({ key, index, value });
        }
        // The model applies writes in (index) order: the highest index is left live.
        for (const write of [...writes].sort((a, b) => a.index - b.index)) {
          if (write.value === undefined) model.delete(write.key);
          else model.set(write.key, write.value);
        }
        await store.commitBlock({ height, writes, logSeq: 0, time: height });
        expect(store.root).toBe(modelRoot(model));
        rootsByHeight.push(store.root);
        modelsByHeight.push(new Map(model));
      }

      expect(await store.computeRoot()).toBe(store.root);
      // Reads and recomputed roots at past heights match what was committed then.
      for (const height of [0, 7, 19, 33]) {
        expect(await store.computeRoot(height)).toBe(rootsByHeight[height]);
        const past = modelsByHeight[height] as Map<string, Uint8Array>;
        for (const key of keys) expect(await store.read(key, height)).toEqual(past.get(key));
      }
      const live = new Map<string, Uint8Array>();
      for await (const { key, value } of store.entries()) live.set(key, value);
      expect(live).toEqual(model);

      // Expunging keys keeps the incremental root equal to a full scan.
      for (const key of keys.slice(0, 3)) {
        await store.expunge(key, "test");
        model.delete(key);
      }
      expect(store.root).toBe(modelRoot(model));
      expect(await store.computeRoot()).toBe(store.root);
    },
  );

  it("depends only on the live state, not on how it was reached", async () => {
    const a = await VersionedStore.open(await temp.open(), { syncCommits: false });
    const b = await VersionedStore.open(await temp.open(), { syncCommits: false });
    const v = (s: string) => new TextEncoder().encode(s);
    await a.commitBlock({
      height: 1,
      writes: [
        { key: "x", index: 0, value: v("1") },
        { key: "y", index: 1, value: v("2") },
      ],
      logSeq: 0,
      time: 0,
    });
    await b.commitBlock({
      height: 1,
      writes: [
        { key: "y", index: 0, value: v("old") },
        { key: "z", index: 1, value: v("gone") },
      ],
      logSeq: 0,
      time: 0,
    });
    await b.commitBlock({
      height: 2,
      writes: [
        { key: "z", index: 0, value: undefined },
        { key: "x", index: 1, value: v("1") },
        { key: "y", index: 2, value: v("2") },
      ],
      logSeq: 0,
      time: 0,
    });
    expect(b.root).toBe(a.root);
  });

  it("computeRoot() refuses a height not committed yet", async () => {
    const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
    await expect(store.computeRoot(1)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION", reason: "not committed yet" },
    });
    expect(() => store.entries(1)).toThrow(/at height 1: the store is at height 0/);
  });
});
