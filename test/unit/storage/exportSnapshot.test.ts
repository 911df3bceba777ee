import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportSnapshot, SNAPSHOT_MAGIC, VersionedStore } from "../../../src/storage";
import { decodeSnapshotHeader, SNAPSHOT_HEADER_BYTES } from "../../../src/storage/snapshotFormat";
import { bytes, useTempDirs } from "./helpers";

const temp = useTempDirs();

async function storeWithHistory(): Promise<VersionedStore> {
  const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
  await store.commitBlock({
    height: 1,
    writes: [
      { key: "a", index: 0, value: bytes("a1") },
      { key: "b", index: 1, value: bytes("b1") },
    ],
    logSeq: 0,
    time: 0,
  });
  await store.commitBlock({
    height: 2,
    writes: [
      { key: "a", index: 0, value: undefined },
      { key: "c", index: 0, value: bytes("c2") },
    ],
    logSeq: 0,
    time: 0,
  });
  return store;
}

describe("exportSnapshot()", () => {
  it("writes header, entries of the live state and a sha256 trailer", async () => {
    const store = await storeWithHistory();
    const file = path.join(temp.dir(), "state.snap");
    const info = await exportSnapshot(store, file);
    const raw = fs.readFileSync(file);
    expect(info).toEqual({ height: 2, root: store.root, entries: 2, bytes: raw.length });
    expect(raw.subarray(0, 8).toString()).toBe(SNAPSHOT_MAGIC);
    expect(decodeSnapshotHeader(raw.subarray(0, SNAPSHOT_HEADER_BYTES))).toEqual({
      height: 2,
      root: store.root,
      entries: 2,
    });
    const digest = createHash("sha256")
      .update(raw.subarray(0, raw.length - 32))
      .digest();
    expect(raw.subarray(raw.length - 32)).toEqual(digest);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it("exports the state at an earlier height with that height's root", async () => {
    const store = await storeWithHistory();
    const file = path.join(temp.dir(), "h1.snap");
    const info = await exportSnapshot(store, file, { at: 1 });
    expect(info).toMatchObject({ height: 1, entries: 2, root: await store.computeRoot(1) });
  });

  it("refuses a height not committed yet and leaves no file behind", async () => {
    const store = await storeWithHistory();
    const dir = temp.dir();
    const file = path.join(dir, "future.snap");
    await expect(exportSnapshot(store, file, { at: 3 })).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_POSITION" },
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("removes the temp file and keeps an existing snapshot when the export fails", async () => {
    const store = await storeWithHistory();
    const dir = temp.dir();
    const file = path.join(dir, "state.snap");
    fs.writeFileSync(file, "previous");
    const db = await temp.open();
    const closedStore = await VersionedStore.open(db);
    await closedStore.close();
    await expect(exportSnapshot(closedStore, file)).rejects.toMatchObject({
      type: { code: "STORAGE_CLOSED" },
    });
    // A failure after the temp file is written: the final name is taken by a directory.
    const blocked = path.join(dir, "blocked.snap");
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, "inside"), "x");
    await expect(exportSnapshot(store, blocked)).rejects.toThrow();
    expect(fs.readFileSync(file, "utf8")).toBe("previous");
    expect(fs.readdirSync(dir).sort()).toEqual(["blocked.snap", "state.snap"]);
  });

  it("streams a state larger than one write chunk", async () => {
    const store = await VersionedStore.open(await temp.open(), { syncCommits: false });
    const value = new Uint8Array(300 * 1024).fill(7);
    await store.commitBlock({
      height: 1,
      writes: Array.from({ length: 8 }, (_, i) => ({ key: `big/${i}`, index: i, value })),
      logSeq: 0,
      time: 0,
    });
    const info = await exportSnapshot(store, path.join(temp.dir(), "big.snap"));
    expect(info.entries).toBe(8);
    expect(info.bytes).toBeGreaterThan(8 * 300 * 1024);
  });
});
