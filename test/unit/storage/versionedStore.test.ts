import { describe, expect, it } from "vitest";
import {
  type BlockWrite,
  type Database,
  MAX_VALUE_BYTES,
  VersionedStore,
} from "../../../src/storage";
import { bytes, text, useTempDirs } from "./helpers";

const temp = useTempDirs();

async function openStore(): Promise<{ db: Database; store: VersionedStore }> {
  const db = await temp.open();
  const store = await VersionedStore.open(db, { syncCommits: false });
  return { db, store };
}

/** Commits the next block with the given writes. */
function commit(store: VersionedStore, writes: BlockWrite[], extra: object = {}) {
  return store.commitBlock({ height: store.height + 1, writes, logSeq: 0, time: 1, ...extra });
}

const put = (key: string, value: string, index = 0): BlockWrite => ({
  key,
  index,
  value: bytes(value),
});
const del = (key: string, index = 0): BlockWrite => ({ key, index, value: undefined });

describe("VersionedStore reads", () => {
  it("an empty store is at height 0 with the zero root and no checkpoint", async () => {
    const { store } = await openStore();
    expect(store.height).toBe(0);
    expect(store.root).toBe("0".repeat(64));
    expect(store.lastCheckpoint()).toBeUndefined();
    expect(await store.read("missing")).toBeUndefined();
  });

  it("read() returns the newest version at or below the height", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "v1")]); // 1
    await commit(store, []); // 2
    await commit(store, [put("k", "v3")]); // 3
    expect(await store.read("k", 0)).toBeUndefined();
    expect(text(await store.read("k", 1))).toBe("v1");
    expect(text(await store.read("k", 2))).toBe("v1");
    expect(text(await store.read("k", 3))).toBe("v3");
    expect(text(await store.read("k"))).toBe("v3");
  });

  it("read() sees the highest index within a block", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "late", 7), put("k", "early", 2)]);
    expect(text(await store.read("k"))).toBe("late");
  });

  it("read() treats a tombstone as absent, and a later write revives the key", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "v")]);
    await commit(store, [del("k")]);
    await commit(store, [put("k", "again")]);
    expect(text(await store.read("k", 1))).toBe("v");
    expect(await store.read("k", 2)).toBeUndefined();
    expect(text(await store.read("k", 3))).toBe("again");
  });

  it("keeps keys that are prefixes of each other apart", async () => {
    const { store } = await openStore();
    await commit(store, [put("a", "1"), put("ab", "2"), put("a\u0001", "3")]);
    expect(text(await store.read("a"))).toBe("1");
    expect(text(await store.read("ab"))).toBe("2");
    await commit(store, [del("ab")]);
    expect(text(await store.read("a"))).toBe("1");
    expect((await store.history("a")).length).toBe(1);
  });

  it("distinguishes an empty value from a tombstone", async () => {
    const { store } = await openStore();
    await commit(store, [{ key: "k", index: 0, value: new Uint8Array() }]);
    expect(await store.read("k")).toEqual(new Uint8Array());
  });

  it("readBefore() returns the newest version strictly before (height, index)", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "h1")]);
    await commit(store, [put("k", "i3", 3), del("k", 5), put("k", "i9", 9)]);
    expect(text(await store.readBefore("k", 2, 0))).toBe("h1");
    expect(text(await store.readBefore("k", 2, 3))).toBe("h1");
    expect(text(await store.readBefore("k", 2, 4))).toBe("i3");
    expect(await store.readBefore("k", 2, 6)).toBeUndefined();
    expect(text(await store.readBefore("k", 2, 10))).toBe("i9");
    expect(text(await store.readBefore("k", 99, 0))).toBe("i9");
    expect(await store.readBefore("k", 1, 0)).toBeUndefined();
  });

  it("readBefore() rejects an index outside uint32", async () => {
    const { store } = await openStore();
    await expect(store.readBefore("k", 1, 2 ** 32)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
  });

  it("history() lists versions newest first, tombstones included, up to a limit", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "a")]);
    await commit(store, [put("k", "b", 1), del("k", 4)]);
    const history = await store.history("k");
    expect(history.map((v) => [v.height, v.index, text(v.value)])).toEqual([
      [2, 4, undefined],
      [2, 1, "b"],
      [1, 0, "a"],
    ]);
    expect((await store.history("k", { limit: 1 })).map((v) => v.index)).toEqual([4]);
    expect(await store.history("k", { limit: 0 })).toEqual([]);
    expect(await store.history("other")).toEqual([]);
    await expect(store.history("k", { limit: -1 })).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT" },
    });
  });

  it("a read of a future height waits for that block's commit", async () => {
    const { store } = await openStore();
    const pending = store.read("k", 2);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await commit(store, [put("k", "one")]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await commit(store, [put("k", "two")]);
    expect(text(await pending)).toBe("two");
  });

  it("a read of a future height times out with STORAGE_READ_TIMEOUT", async () => {
    const { store } = await openStore();
    await commit(store, []);
    const started = Date.now();
    await expect(store.read("k", 3, { timeoutMs: 30 })).rejects.toMatchObject({
      type: { code: "STORAGE_READ_TIMEOUT", key: "k", at: 3, height: 1, timeoutMs: 30 },
      message: 'Cannot read "k" at height 3: the store is still at height 1 after 30 ms',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    // The timed-out waiter is gone: a later commit does not resurrect it.
    await commit(store, []);
    await commit(store, []);
  });

  it("close() rejects pending reads with STORAGE_CLOSED", async () => {
    const { store } = await openStore();
    const pending = store.read("k", 5, { timeoutMs: 60_000 });
    const settled = expect(pending).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
    await store.close();
    await settled;
  });

  it("closing the database rejects pending reads with STORAGE_CLOSED", async () => {
    const { db, store } = await openStore();
    const pending = store.read("k", 5, { timeoutMs: 60_000 });
    const settled = expect(pending).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
    await db.close();
    await settled;
    await expect(store.read("k")).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
  });

  it("rejects bad keys, heights and timeouts", async () => {
    const { store } = await openStore();
    await expect(store.read("a\u0000b")).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_KEY" },
    });
    await expect(store.read("")).rejects.toMatchObject({ type: { code: "STORAGE_BAD_KEY" } });
    await expect(store.read("k", -1)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
    await expect(store.read("k", 1.5)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
    await expect(store.read("k", 2 ** 53)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
    await expect(store.read("k", 1, { timeoutMs: -1 })).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT", argument: "timeoutMs" },
    });
  });
});

describe("VersionedStore.commitBlock()", () => {
  it("returns and keeps the checkpoint of the block", async () => {
    const { store } = await openStore();
    const checkpoint = await store.commitBlock({
      height: 1,
      writes: [put("k", "v")],
      logSeq: 7,
      time: 1234,
    });
    expect(checkpoint).toEqual({ height: 1, root: store.root, logSeq: 7, time: 1234 });
    expect(store.lastCheckpoint()).toEqual(checkpoint);
    expect(store.root).not.toBe("0".repeat(64));
  });

  it("rejects a height that is not the next one with STORAGE_HEIGHT_GAP", async () => {
    const { store } = await openStore();
    await expect(
      store.commitBlock({ height: 2, writes: [], logSeq: 0, time: 0 }),
    ).rejects.toMatchObject({
      type: { code: "STORAGE_HEIGHT_GAP", height: 2, expected: 1 },
    });
    await commit(store, []);
    for (const height of [1, 3]) {
      await expect(
        store.commitBlock({ height, writes: [], logSeq: 0, time: 0 }),
      ).rejects.toMatchObject({
        type: { code: "STORAGE_HEIGHT_GAP", height, expected: 2 },
      });
    }
    expect(store.height).toBe(1);
  });

  it("accepts height 0 once on a fresh store, for the genesis state", async () => {
    const { store } = await openStore();
    await store.commitBlock({ height: 0, writes: [put("g", "genesis")], logSeq: 0, time: 0 });
    expect(store.height).toBe(0);
    expect(text(await store.read("g", 0))).toBe("genesis");
    await expect(
      store.commitBlock({ height: 0, writes: [], logSeq: 0, time: 0 }),
    ).rejects.toMatchObject({
      type: { code: "STORAGE_HEIGHT_GAP", expected: 1 },
    });
    await commit(store, []);
    expect(store.height).toBe(1);
  });

  it("serialises concurrent commits so each sees the previous height", async () => {
    const { store } = await openStore();
    const commits = [1, 2, 3].map((height) =>
      store.commitBlock({ height, writes: [put("k", String(height))], logSeq: 0, time: 0 }),
    );
    await Promise.all(commits);
    expect(store.height).toBe(3);
    expect(text(await store.read("k"))).toBe("3");
  });

  it("stores the block record and aux entries atomically with the block", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "v")], {
      record: bytes("block-1"),
      aux: [["tx/abc", bytes("committed")]],
    });
    expect(text(await store.getBlockRecord(1))).toBe("block-1");
    expect(await store.getBlockRecord(2)).toBeUndefined();
    expect(text(await store.getAux("tx/abc"))).toBe("committed");
    expect(await store.getAux("tx/none")).toBeUndefined();
    await expect(store.getAux("")).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT" },
    });
  });

  it("writes extra log ops in the same batch", async () => {
    const { store } = await openStore();
    const { ops, lastSeq } = store.log.appendOps([{ type: "decision", height: 1 }]);
    await commit(store, [put("k", "v")], { extraOps: ops, logSeq: lastSeq });
    const entries = [];
    for await (const record of store.log.read(1)) entries.push(record);
    expect(entries).toEqual([{ seq: 1, entry: { type: "decision", height: 1 } }]);
    expect(store.lastCheckpoint()?.logSeq).toBe(1);
  });

  it.each(["data", "head", "meta"] as const)("refuses extra ops on the %s space", async (space) => {
    const { store } = await openStore();
    await expect(
      commit(store, [], { extraOps: [{ type: "del", space, key: bytes("x") }] }),
    ).rejects.toMatchObject({ type: { code: "STORAGE_BAD_ARGUMENT", argument: "extraOps" } });
  });

  it("writes nothing when any write is invalid", async () => {
    const { store } = await openStore();
    const cases: Array<[BlockWrite[], string]> = [
      [[put("ok", "v"), put("bad\u0000key", "v")], "STORAGE_BAD_KEY"],
      [[put("ok", "v", -1)], "STORAGE_BAD_WRITE"],
      [[put("ok", "v", 2 ** 32)], "STORAGE_BAD_WRITE"],
      [[put("ok", "v", 1.5)], "STORAGE_BAD_WRITE"],
      [[put("ok", "a", 3), put("ok", "b", 3)], "STORAGE_BAD_WRITE"],
      [[{ key: "ok", index: 0, value: "text" as unknown as Uint8Array }], "STORAGE_BAD_WRITE"],
      [[{ key: "ok", index: 0, value: new Uint8Array(MAX_VALUE_BYTES + 1) }], "STORAGE_BAD_WRITE"],
    ];
    for (const [writes, code] of cases) {
      await expect(commit(store, writes)).rejects.toMatchObject({ type: { code } });
    }
    expect(store.height).toBe(0);
    expect(await store.history("ok")).toEqual([]);
  });

  it("rejects malformed block fields", async () => {
    const { store } = await openStore();
    const base = { height: 1, writes: [], logSeq: 0, time: 0 };
    const cases: Array<[object, string]> = [
      [{ logSeq: -1 }, "logSeq"],
      [{ time: Number.NaN }, "time"],
      [{ record: "x" }, "record"],
      [{ aux: [["k", "v"]] }, 'aux entry "k"'],
    ];
    for (const [fields, argument] of cases) {
      await expect(store.commitBlock({ ...base, ...fields })).rejects.toMatchObject({
        type: { code: "STORAGE_BAD_ARGUMENT", argument },
      });
    }
    await expect(store.commitBlock({ ...base, height: -1 })).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
  });

  it("accepts a value of exactly the size limit", async () => {
    const { store } = await openStore();
    await commit(store, [{ key: "big", index: 0, value: new Uint8Array(MAX_VALUE_BYTES) }]);
    expect((await store.read("big"))?.length).toBe(MAX_VALUE_BYTES);
  });
});

describe("VersionedStore.expunge()", () => {
  it("removes every version, fixes the root and logs the operation atomically", async () => {
    const { store } = await openStore();
    await commit(store, [put("keep", "k")]);
    const rootWithoutSecret = store.root;
    await commit(store, [put("secret", "s1")]);
    await commit(store, [put("secret", "s2"), put("secret", "s3", 1)]);
    const removed = await store.expunge("secret", "court order 42");
    expect(removed).toBe(3);
    expect(await store.history("secret")).toEqual([]);
    expect(await store.read("secret", 2)).toBeUndefined();
    expect(store.root).toBe(rootWithoutSecret);
    expect(await store.computeRoot()).toBe(store.root);
    const records = [];
    for await (const record of store.log.read(1)) records.push(record);
    expect(records).toHaveLength(1);
    expect(records[0]?.entry).toMatchObject({
      type: "expunge",
      key: "secret",
      reason: "court order 42",
      time: expect.any(Number),
    });
    expect(store.lastCheckpoint()).toMatchObject({ height: 3, root: store.root, logSeq: 1 });
  });

  it("leaves the root unchanged for a key whose newest version is a tombstone", async () => {
    const { store } = await openStore();
    await commit(store, [put("k", "v")]);
    await commit(store, [del("k")]);
    const root = store.root;
    expect(await store.expunge("k", "cleanup")).toBe(2);
    expect(store.root).toBe(root);
  });

  it("returns 0 and logs nothing for a key with no versions", async () => {
    const { store } = await openStore();
    expect(await store.expunge("nothing", "why not")).toBe(0);
    expect(store.log.lastSeq).toBe(0);
  });

  it("requires a reason", async () => {
    const { store } = await openStore();
    await expect(store.expunge("k", "")).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT", argument: "reason" },
    });
  });
});

describe("VersionedStore after close", () => {
  it("refuses reads, commits and expunges with STORAGE_CLOSED", async () => {
    const { store } = await openStore();
    await store.close();
    await store.close();
    const closed = { type: { code: "STORAGE_CLOSED" } };
    await expect(store.read("k")).rejects.toMatchObject(closed);
    await expect(store.readBefore("k", 1, 0)).rejects.toMatchObject(closed);
    await expect(store.history("k")).rejects.toMatchObject(closed);
    await expect(commit(store, [])).rejects.toMatchObject(closed);
    await expect(store.expunge("k", "r")).rejects.toMatchObject(closed);
    await expect(store.computeRoot()).rejects.toMatchObject(closed);
    await expect(store.getBlockRecord(1)).rejects.toMatchObject(closed);
    await expect(store.getAux("a")).rejects.toMatchObject(closed);
  });
});
