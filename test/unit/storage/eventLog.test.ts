import { describe, expect, it } from "vitest";
import { EventLog, type LogRecord, openDatabase } from "../../../src/storage";
import { uint64BE } from "../../../src/storage/bytes";
import { useTempDirs } from "./helpers";

const temp = useTempDirs();

async function collect(records: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

describe("EventLog", () => {
  it("starts empty with lastSeq 0", async () => {
    const log = await EventLog.open(await temp.open());
    expect(log.lastSeq).toBe(0);
    expect(await collect(log.read(0))).toEqual([]);
    expect(await log.append([])).toBe(0);
  });

  it("append() numbers entries from 1 and returns the last seq", async () => {
    const log = await EventLog.open(await temp.open());
    expect(await log.append([{ type: "a" }, { type: "b" }])).toBe(2);
    expect(await log.append([{ type: "c" }], { sync: true })).toBe(3);
    const records = await collect(log.read(1));
    expect(records.map((r) => [r.seq, r.entry.type])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
  });

  it("round-trips bytes, strings, numbers, arrays and nested objects", async () => {
    const log = await EventLog.open(await temp.open());
    const entry = {
      type: "tx",
      id: Uint8Array.of(0, 1, 255),
      text: "héllo",
      n: 2 ** 53 - 1,
      f: -1.25,
      list: [1, "two", { three: [3] }],
      nested: { deep: { ok: true, nothing: null } },
    };
    await log.append([entry]);
    const [record] = await collect(log.read(1));
    expect(record?.entry).toEqual(entry);
    expect(record?.entry.id).toBeInstanceOf(Uint8Array);
  });

  it("keeps the order of concurrent append() calls", async () => {
    const log = await EventLog.open(await temp.open());
    const calls = Array.from({ length: 50 }, (_, i) =>
      log.append([
        { type: "n", i },
        { type: "n", i, second: true },
      ]),
    );
    const seqs = await Promise.all(calls);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => 2 * (i + 1)));
    const records = await collect(log.read(1));
    expect(records.map((r) => r.entry.i)).toEqual(
      Array.from({ length: 100 }, (_, k) => Math.floor(k / 2)),
    );
  });

  it("read() honours fromSeq and toSeq", async () => {
    const log = await EventLog.open(await temp.open());
    await log.append(Array.from({ length: 10 }, (_, i) => ({ type: "n", i })));
    const records = await collect(log.read(4, { toSeq: 6 }));
    expect(records.map((r) => r.seq)).toEqual([4, 5, 6]);
  });

  it("keeps seqs across close and reopen", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    await (await EventLog.open(db)).append([{ type: "a" }, { type: "b" }]);
    await db.close();
    const again = await EventLog.open(await temp.open(dir));
    expect(again.lastSeq).toBe(2);
    expect(await again.append([{ type: "c" }])).toBe(3);
  });

  it("open() returns one shared instance per database, so seqs never repeat", async () => {
    const db = await temp.open();
    const [a, b] = await Promise.all([EventLog.open(db), EventLog.open(db)]);
    expect(a).toBe(b);
  });

  it("appendOps() reserves seqs and returns the writes for the caller's batch", async () => {
    const db = await temp.open();
    const log = await EventLog.open(db);
    const { ops, lastSeq } = log.appendOps([{ type: "a" }, { type: "b" }]);
    expect(lastSeq).toBe(2);
    expect(log.lastSeq).toBe(2);
    expect(await collect(log.read(1))).toEqual([]);
    await db.batch(ops);
    expect((await collect(log.read(1))).map((r) => r.entry.type)).toEqual(["a", "b"]);
    expect(await log.append([{ type: "c" }])).toBe(3);
  });

  it("a failed append leaves a gap, never a reused or reordered seq", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    const log = await EventLog.open(db);
    await log.append([{ type: "a" }]);
    log.appendOps([{ type: "lost" }]); // reserved but never written
    expect(await log.append([{ type: "b" }])).toBe(3);
    expect((await collect(log.read(1))).map((r) => r.seq)).toEqual([1, 3]);
    await db.close();
    await expect(log.append([{ type: "c" }])).rejects.toMatchObject({
      type: { code: "STORAGE_CLOSED" },
    });
  });

  it("rejects an entry without a string type", async () => {
    const log = await EventLog.open(await temp.open());
    await expect(log.append([{ kind: "x" } as never])).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT", argument: "entry" },
    });
    expect(log.lastSeq).toBe(0);
  });

  it("rejects a bad fromSeq or toSeq", async () => {
    const log = await EventLog.open(await temp.open());
    await expect(log.read(-1).next()).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT" },
    });
    await expect(log.read(1, { toSeq: 1.5 }).next()).rejects.toMatchObject({
      type: { code: "STORAGE_BAD_ARGUMENT" },
    });
  });

  it.each([
    ["undecodable bytes", Uint8Array.of(0x92, 0x01)],
    ["a reserved msgpack byte", Uint8Array.of(0xc1)],
    ["a value that is not an entry", Uint8Array.of(0x93, 1, 2, 3)],
  ])("reports %s as STORAGE_CORRUPT naming the seq", async (_name, raw) => {
    const db = await temp.open();
    const log = await EventLog.open(db);
    await log.append([{ type: "ok" }]);
    await db.batch([{ type: "put", space: "log", key: uint64BE(2), value: raw }]);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const record of log.read(1)) seen.push(record.seq);
    })();
    await expect(reading).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", seq: 2 },
      message: "Cannot read the event log: entry 2 is corrupt",
    });
    expect(seen).toEqual([1]);
  });
});
