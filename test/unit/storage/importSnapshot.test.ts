import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Database,
  EventLog,
  exportSnapshot,
  importSnapshot,
  MAX_SNAPSHOT_VALUE_BYTES,
  VersionedStore,
} from "../../../src/storage";
import { packr } from "../../../src/storage/codec";
import { encodeUserKey } from "../../../src/storage/dataKey";
import { META_IMPORT } from "../../../src/storage/metaKeys";
import {
  MAX_SNAPSHOT_ENTRY_BYTES,
  SNAPSHOT_HEADER_BYTES,
} from "../../../src/storage/snapshotFormat";
import { addTerm, EMPTY_ROOT, rootTerm, rootToHex } from "../../../src/storage/stateRoot";
import { bytes, prng, text, useTempDirs } from "./helpers";
import { encodeSnapshotEntry, writeSnapshotFile } from "./snapshot.helpers";

const temp = useTempDirs();

/** A store with history, tombstones and binary values, and its snapshot file. */
async function exported(): Promise<{ store: VersionedStore; file: string }> {
  const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
  const random = prng(11);
  for (let height = 1; height <= 10; height++) {
    const writes = Array.from({ length: 20 }, (_, i) => ({
      key: `key/${Math.floor(random() * 30)}`,
      index: i,
      value:
        random() < 0.2
          ? undefined
          : Uint8Array.from({ length: 1 + (i % 5) }, () => Math.floor(random() * 256)),
    }));
    await store.commitBlock({ height, writes, logSeq: 0, time: height });
  }
  const file = path.join(temp.dir(), "state.snap");
  await exportSnapshot(store, file);
  return { store, file };
}

async function expectEmpty(db: Database): Promise<void> {
  expect(await db.isEmpty("data")).toBe(true);
  expect(await db.get("meta", META_IMPORT)).toBeUndefined();
  const store = await VersionedStore.open(db);
  expect(store.height).toBe(0);
  expect(store.lastCheckpoint()).toBeUndefined();
  await store.close();
}

function rootOf(entries: Array<[string, Uint8Array]>): string {
  let root = EMPTY_ROOT;
  for (const [key, value] of entries) root = addTerm(root, rootTerm(encodeUserKey(key), value));
  return rootToHex(root);
}

describe("importSnapshot()", () => {
  it("round-trips into a fresh database with the same root, reads and checkpoint", async () => {
    const { store, file } = await exported();
    const target = await temp.open();
    const info = await importSnapshot(file, target);
    expect(info).toMatchObject({ height: 10, root: store.root, bytes: fs.statSync(file).size });

    const imported = await VersionedStore.open(target, { verifyOnOpen: true });
    expect(imported.height).toBe(10);
    expect(imported.root).toBe(store.root);
    expect(imported.lastCheckpoint()).toMatchObject({ height: 10, root: store.root, logSeq: 0 });
    let count = 0;
    for await (const { key, value } of store.entries()) {
      expect(await imported.read(key)).toEqual(value);
      expect(await imported.history(key)).toEqual([{ height: 10, index: 0, value }]);
      count++;
    }
    expect(info.entries).toBe(count);
    expect((await EventLog.open(target)).lastSeq).toBe(0);
    // The imported store carries on from the snapshot height.
    await imported.commitBlock({ height: 11, writes: [], logSeq: 0, time: 0 });
  });

  it("imports an empty state", async () => {
    const store = await VersionedStore.open(await temp.open());
    await store.commitBlock({ height: 1, writes: [], logSeq: 0, time: 0 });
    const file = path.join(temp.dir(), "empty.snap");
    await exportSnapshot(store, file);
    const target = await temp.open();
    expect(await importSnapshot(file, target)).toMatchObject({ height: 1, entries: 0 });
    expect((await VersionedStore.open(target)).root).toBe("0".repeat(64));
  });

  it("refuses a target that is not empty with STORAGE_NOT_EMPTY", async () => {
    const { file } = await exported();
    const withState = await temp.open();
    const other = await VersionedStore.open(withState);
    await other.commitBlock({
      height: 1,
      writes: [{ key: "x", index: 0, value: bytes("1") }],
      logSeq: 0,
      time: 0,
    });
    await other.close();
    await expect(importSnapshot(file, withState)).rejects.toMatchObject({
      type: { code: "STORAGE_NOT_EMPTY", reason: "its data space holds entries" },
    });
    const withLog = await temp.open();
    await (await EventLog.open(withLog)).append([{ type: "x" }]);
    await expect(importSnapshot(file, withLog)).rejects.toMatchObject({
      type: { code: "STORAGE_NOT_EMPTY", reason: "its log space holds entries" },
    });
    const withGenesisOnly = await temp.open();
    const genesis = await VersionedStore.open(withGenesisOnly);
    await genesis.commitBlock({ height: 0, writes: [], logSeq: 0, time: 0 });
    await genesis.close();
    await expect(importSnapshot(file, withGenesisOnly)).rejects.toMatchObject({
      type: { code: "STORAGE_NOT_EMPTY", reason: "it has committed state" },
    });
  });

  it("refuses a database with an open store with STORAGE_IN_USE", async () => {
    const { file } = await exported();
    const target = await temp.open();
    const store = await VersionedStore.open(target);
    await expect(importSnapshot(file, target)).rejects.toMatchObject({
      type: { code: "STORAGE_IN_USE", dir: target.dir },
    });
    await store.close();
    await importSnapshot(file, target);
  });

  it("starts over after an interrupted import", async () => {
    const { store, file } = await exported();
    const target = await temp.open();
    await target.batch([
      { type: "put", space: "meta", key: META_IMPORT, value: packr.pack({ file }) },
      {
        type: "put",
        space: "data",
        key: bytes("leftover\u0000xxxxxxxxxxxx"),
        value: Uint8Array.of(1),
      },
      { type: "put", space: "head", key: bytes("leftover"), value: new Uint8Array(32).fill(9) },
    ]);
    await importSnapshot(file, target);
    const imported = await VersionedStore.open(target, { verifyOnOpen: true });
    expect(imported.root).toBe(store.root);
  });

  it("refuses a closed database and a missing file", async () => {
    const { file } = await exported();
    const target = await temp.open();
    await expect(importSnapshot(path.join(temp.dir(), "nope.snap"), target)).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_SNAPSHOT", reason: "it cannot be opened (ENOENT)" },
    });
    await target.close();
    await expect(importSnapshot(file, target)).rejects.toMatchObject({
      type: { code: "STORAGE_CLOSED" },
    });
  });

  describe("rejects a bad file with STORAGE_BAD_SNAPSHOT and leaves the target empty", () => {
    async function expectRejected(file: string, reason: RegExp): Promise<void> {
      const target = await temp.open();
      await expect(importSnapshot(file, target)).rejects.toMatchObject({
        type: { code: "STORAGE_BAD_SNAPSHOT", file, reason: expect.stringMatching(reason) },
      });
      await expectEmpty(target);
    }

    it("truncated in the middle of the entries", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      fs.writeFileSync(file, raw.subarray(0, Math.floor(raw.length * 0.6)));
      await expectRejected(file, /truncated/);
    });

    it("truncated in the trailer", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      fs.writeFileSync(file, raw.subarray(0, raw.length - 5));
      await expectRejected(file, /truncated/);
    });

    it("shorter than a header", async () => {
      const file = path.join(temp.dir(), "tiny.snap");
      fs.writeFileSync(file, "ANODESNP");
      await expectRejected(file, /shorter than a snapshot header/);
    });

    it("with one byte changed in an entry", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      const at = raw.length - 33; // the last byte of the last entry's value
      raw[at] = (raw[at] as number) ^ 0x01;
      fs.writeFileSync(file, raw);
      await expectRejected(file, /checksum does not match/);
    });

    it("with one byte changed in the header root", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      raw[30] = (raw[30] as number) ^ 0x80;
      fs.writeFileSync(file, raw);
      await expectRejected(file, /checksum does not match/);
    });

    it("with the wrong magic", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      raw.write("NOTASNAP", 0);
      fs.writeFileSync(file, raw);
      await expectRejected(file, /does not start with ANODESNP/);
    });

    it("with an unknown format version", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      raw.writeUInt32BE(2, 8);
      fs.writeFileSync(file, raw);
      await expectRejected(file, /format version 2 is not supported/);
    });

    it("with a height or entry count out of range", async () => {
      const { file } = await exported();
      const raw = fs.readFileSync(file);
      raw.writeUInt32BE(0xffffffff, 12);
      fs.writeFileSync(file, raw);
      await expectRejected(file, /height is out of range/);
      raw.writeUInt32BE(0, 12);
      raw.writeUInt32BE(0xffffffff, 52);
      fs.writeFileSync(file, raw);
      await expectRejected(file, /entry count is out of range/);
    });

    it("announcing more entries than the file can hold", async () => {
      const file = path.join(temp.dir(), "liar.snap");
      writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 1_000_000 }, []);
      await expectRejected(file, /announces 1000000 entries/);
    });

    it("with an entry over the size limit", async () => {
      const file = path.join(temp.dir(), "huge.snap");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(MAX_SNAPSHOT_ENTRY_BYTES + 1);
      writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 1 }, [
        Buffer.concat([length, Buffer.alloc(64)]),
      ]);
      await expectRejected(file, /entry 0 is \d+ bytes, over the limit/);
    });

    it("with a value over the value limit", async () => {
      const file = path.join(temp.dir(), "bigvalue.snap");
      const value = new Uint8Array(MAX_SNAPSHOT_VALUE_BYTES + 1);
      writeSnapshotFile(file, { height: 1, root: rootOf([["k", value]]), entries: 1 }, [
        encodeSnapshotEntry("k", value),
      ]);
      await expectRejected(file, /entry 0 has a 1048577-byte value, over the limit/);
    });

    it("with an invalid key", async () => {
      const file = path.join(temp.dir(), "badkey.snap");
      writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 1 }, [
        encodeSnapshotEntry("a\u0000b", bytes("v")),
      ]);
      await expectRejected(file, /entry 0 has an invalid key: it contains a NUL/);
    });

    it("with entries that are not [string, bytes] pairs", async () => {
      const cases: Array<[unknown, RegExp]> = [
        [["k", "v"], /value that is not binary/],
        [[1, bytes("v")], /key that is not a string/],
        [{ k: 1 }, /not a \[key, value\] pair/],
      ];
      for (const [entry, reason] of cases) {
        const body = packr.pack(entry);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(body.length);
        const file = path.join(temp.dir(), "shape.snap");
        writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 1 }, [
          Buffer.concat([length, body]),
        ]);
        await expectRejected(file, reason);
      }
      const file = path.join(temp.dir(), "junk.snap");
      writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 1 }, [
        Uint8Array.of(0, 0, 0, 6, 0x93, 1, 2, 3, 4, 5),
      ]);
      await expectRejected(file, /not valid MessagePack/);
    });

    it("with keys out of order or repeated", async () => {
      const file = path.join(temp.dir(), "order.snap");
      const entries: Array<[string, Uint8Array]> = [
        ["b", bytes("1")],
        ["a", bytes("2")],
      ];
      writeSnapshotFile(
        file,
        { height: 1, root: rootOf(entries), entries: 2 },
        entries.map(([k, v]) => encodeSnapshotEntry(k, v)),
      );
      await expectRejected(file, /entry 1 is not in ascending key order/);
      const repeated: Array<[string, Uint8Array]> = [
        ["a", bytes("1")],
        ["a", bytes("1")],
      ];
      writeSnapshotFile(
        file,
        { height: 1, root: rootOf(repeated), entries: 2 },
        repeated.map(([k, v]) => encodeSnapshotEntry(k, v)),
      );
      await expectRejected(file, /not in ascending key order/);
    });

    it("whose entries do not produce the header's root", async () => {
      const file = path.join(temp.dir(), "root.snap");
      writeSnapshotFile(file, { height: 1, root: "1".repeat(64), entries: 1 }, [
        encodeSnapshotEntry("k", bytes("v")),
      ]);
      await expectRejected(file, /give state root [0-9a-f]{64}, not 1{64}/);
    });

    it("with data after the trailer", async () => {
      const file = path.join(temp.dir(), "tail.snap");
      writeSnapshotFile(file, { height: 1, root: "0".repeat(64), entries: 0 }, [], {
        append: Uint8Array.of(1),
      });
      await expectRejected(file, /data after its checksum/);
    });

    it("after writing several batches of entries", async () => {
      const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
      const writes = Array.from({ length: 2500 }, (_, i) => ({
        key: `k/${String(i).padStart(5, "0")}`,
        index: i,
        value: bytes(String(i)),
      }));
      await store.commitBlock({ height: 1, writes, logSeq: 0, time: 0 });
      const file = path.join(temp.dir(), "many.snap");
      await exportSnapshot(store, file);
      const raw = fs.readFileSync(file);
      raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 0xff;
      fs.writeFileSync(file, raw);
      await expectRejected(file, /checksum does not match/);
      expect(SNAPSHOT_HEADER_BYTES).toBe(60);
    });
  });

  it("reads text values back exactly", async () => {
    const source = await VersionedStore.open(await temp.open());
    await source.commitBlock({
      height: 1,
      writes: [{ key: "ключ", index: 0, value: bytes("значение") }],
      logSeq: 0,
      time: 0,
    });
    const file = path.join(temp.dir(), "utf8.snap");
    await exportSnapshot(source, file);
    const target = await temp.open();
    await importSnapshot(file, target);
    expect(text(await (await VersionedStore.open(target)).read("ключ"))).toBe("значение");
  });
});
