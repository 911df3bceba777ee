import { ClassicLevel } from "classic-level";
import { describe, expect, it } from "vitest";
import { EventLog, openDatabase, VersionedStore } from "../../../src/storage";
import { META_CHECKPOINT, META_IMPORT } from "../../../src/storage/metaKeys";
import { bytes, text, useTempDirs } from "./helpers";

const temp = useTempDirs();

describe("VersionedStore across restarts", () => {
  it("keeps height, root, checkpoint, versions and log seqs across close and reopen", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    const store = await VersionedStore.open(db);
    const log = await EventLog.open(db);
    await log.append([{ type: "tx", n: 1 }]);
    const seq = await log.append([{ type: "tx", n: 2 }]);
    await store.commitBlock({
      height: 1,
      writes: [{ key: "a", index: 0, value: bytes("1") }],
      record: bytes("r1"),
      logSeq: seq,
      time: 111,
    });
    const checkpoint = await store.commitBlock({
      height: 2,
      writes: [
        { key: "a", index: 0, value: undefined },
        { key: "b", index: 1, value: bytes("2") },
      ],
      aux: [["tx/2", bytes("ok")]],
      logSeq: seq,
      time: 222,
    });
    const root = store.root;
    await store.close();
    await db.close();

    const reopened = await temp.open(dir);
    const again = await VersionedStore.open(reopened, { verifyOnOpen: true });
    expect(again.height).toBe(2);
    expect(again.root).toBe(root);
    expect(again.lastCheckpoint()).toEqual(checkpoint);
    expect(text(await again.read("a", 1))).toBe("1");
    expect(await again.read("a")).toBeUndefined();
    expect(text(await again.read("b"))).toBe("2");
    expect(text(await again.getBlockRecord(1))).toBe("r1");
    expect(text(await again.getAux("tx/2"))).toBe("ok");
    expect(again.log.lastSeq).toBe(2);
    expect(await again.log.append([{ type: "tx", n: 3 }])).toBe(3);
    await again.commitBlock({ height: 3, writes: [], logSeq: 3, time: 333 });
  });

  it("open() with verifyOnOpen refuses state that does not match the checkpoint root", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    const store = await VersionedStore.open(db);
    await store.commitBlock({
      height: 1,
      writes: [{ key: "a", index: 0, value: bytes("1") }],
      logSeq: 0,
      time: 0,
    });
    await db.close();
    // Tamper with the stored version behind the store's back.
    const raw = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
      keyEncoding: "view",
      valueEncoding: "view",
    });
    const keys = await raw.keys({ gte: Uint8Array.of(0x64), lt: Uint8Array.of(0x65) }).all();
    await raw.put(keys[0] as Uint8Array, Uint8Array.of(1, 0x32));
    await raw.close();

    const reopened = await temp.open(dir);
    await expect(VersionedStore.open(reopened, { verifyOnOpen: true })).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", reason: "state root mismatch" },
    });
    // Without verification the store opens; computeRoot() exposes the mismatch.
    const unverified = await VersionedStore.open(reopened);
    expect(await unverified.computeRoot()).not.toBe(unverified.root);
  });

  it("open() with verifyOnOpen refuses a head index that disagrees with the checkpoint", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    const store = await VersionedStore.open(db);
    await store.commitBlock({
      height: 1,
      writes: [{ key: "a", index: 0, value: bytes("1") }],
      logSeq: 0,
      time: 0,
    });
    await db.batch([{ type: "del", space: "head", key: bytes("a") }]);
    await db.close();
    const reopened = await temp.open(dir);
    await expect(VersionedStore.open(reopened, { verifyOnOpen: true })).rejects.toThrow(
      /the head index gives root 0{64}, not the checkpoint's/,
    );
  });

  it("open() refuses a database with an interrupted snapshot import", async () => {
    const db = await temp.open();
    await db.batch([{ type: "put", space: "meta", key: META_IMPORT, value: Uint8Array.of(0x80) }]);
    await expect(VersionedStore.open(db)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", reason: "interrupted snapshot import" },
    });
  });

  it("open() refuses a second store on one database until the first is closed", async () => {
    const db = await temp.open();
    const results = await Promise.allSettled([VersionedStore.open(db), VersionedStore.open(db)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ type: { code: "STORAGE_IN_USE", dir: db.dir } });
    const first = results.find(
      (r) => r.status === "fulfilled",
    ) as PromiseFulfilledResult<VersionedStore>;
    await first.value.close();
    const second = await VersionedStore.open(db);
    await second.close();
  });

  it("open() releases the database when it fails", async () => {
    const db = await temp.open();
    await db.batch([{ type: "put", space: "meta", key: META_CHECKPOINT, value: Uint8Array.of(1) }]);
    await expect(VersionedStore.open(db)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT" },
    });
    await db.batch([{ type: "del", space: "meta", key: META_CHECKPOINT }]);
    await (await VersionedStore.open(db)).close();
  });

  it("open() refuses a closed database", async () => {
    const db = await openDatabase(temp.dir());
    await db.close();
    await expect(VersionedStore.open(db)).rejects.toMatchObject({
      type: { code: "STORAGE_CLOSED" },
    });
  });

  it("a failed commit leaves height, root and waiters as they were", async () => {
    const db = await temp.open();
    const store = await VersionedStore.open(db);
    await store.commitBlock({ height: 1, writes: [], logSeq: 0, time: 0 });
    const before = { height: store.height, root: store.root };
    const pending = store.read("k", 2, { timeoutMs: 60_000 });
    const settled = expect(pending).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
    // An aux key that LevelDB cannot take (not bytes) makes the batch itself fail.
    await expect(
      store.commitBlock({
        height: 2,
        writes: [{ key: "k", index: 0, value: bytes("v") }],
        extraOps: [
          { type: "put", space: "aux", key: bytes("x"), value: null as unknown as Uint8Array },
        ],
        logSeq: 0,
        time: 0,
      }),
    ).rejects.toThrow();
    expect({ height: store.height, root: store.root }).toEqual(before);
    expect(await store.history("k")).toEqual([]);
    await store.close();
    await settled;
  });
});
