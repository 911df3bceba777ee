import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ClassicLevel } from "classic-level";
import { describe, expect, it } from "vitest";
import { openDatabase, StorageError } from "../../../src/storage";
import { bytes, text, useTempDirs } from "./helpers";

const temp = useTempDirs();

describe("openDatabase()", () => {
  it("creates the directory and database when missing", async () => {
    const dir = path.join(temp.dir(), "nested", "db");
    const db = await temp.open(dir);
    expect(db.dir).toBe(dir);
    expect(db.closed).toBe(false);
    expect(fs.existsSync(path.join(dir, "CURRENT"))).toBe(true);
  });

  it("reopens an existing database with its data", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    await db.batch([{ type: "put", space: "aux", key: bytes("k"), value: bytes("v") }]);
    await db.close();
    const again = await temp.open(dir);
    expect(text(await again.get("aux", bytes("k")))).toBe("v");
  });

  it("writes a batch whole or not at all: a bad operation midway writes none of it", async () => {
    const db = await temp.open();
    await db.batch([
      { type: "put", space: "aux", key: bytes("a"), value: bytes("1") },
      { type: "put", space: "log", key: bytes("b"), value: bytes("2") },
      { type: "del", space: "aux", key: bytes("a") },
      { type: "put", space: "aux", key: bytes("c"), value: bytes("3") },
    ]);
    expect(await db.get("aux", bytes("a"))).toBeUndefined();
    expect(text(await db.get("log", bytes("b")))).toBe("2");
    const bad = [
      { type: "put" as const, space: "aux" as const, key: bytes("d"), value: bytes("4") },
      { type: "put" as const, space: "aux" as const, key: bytes("e"), value: undefined },
    ] as unknown as Parameters<typeof db.batch>[0];
    await expect(db.batch(bad)).rejects.toThrow();
    expect(await db.get("aux", bytes("d"))).toBeUndefined();
    // The database goes on taking batches after the refused one.
    await db.batch([{ type: "put", space: "aux", key: bytes("f"), value: bytes("6") }], {
      sync: true,
    });
    expect(text(await db.get("aux", bytes("f")))).toBe("6");
    expect(text(await db.get("aux", bytes("c")))).toBe("3");
  });

  it("uses the injected Level class", async () => {
    const constructed: string[] = [];
    class CountingLevel<K, V> extends ClassicLevel<K, V> {
      constructor(location: string, options?: ConstructorParameters<typeof ClassicLevel<K, V>>[1]) {
        super(location, options);
        constructed.push(location);
      }
    }
    const dir = temp.dir();
    const db = await openDatabase(dir, { Level: CountingLevel as typeof ClassicLevel });
    temp.cleanup(() => db.close());
    expect(constructed).toEqual([dir]);
  });

  it("rejects a second open of the same directory with STORAGE_LOCKED", async () => {
    const dir = temp.dir();
    await temp.open(dir);
    const err = await openDatabase(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ type: { code: "STORAGE_LOCKED", dir } });
    expect((err as Error).message).toMatch(/locked by another process \(is another node running/);
  });

  it("rejects a directory locked by another process with STORAGE_LOCKED", async () => {
    const dir = temp.dir();
    const child = await holdLockInChild(dir);
    temp.cleanup(() => stopChild(child));
    await expect(openDatabase(dir)).rejects.toMatchObject({ type: { code: "STORAGE_LOCKED" } });
  });

  it("rejects a CURRENT file with garbage as STORAGE_CORRUPT", async () => {
    const dir = temp.dir();
    await (await openDatabase(dir)).close();
    fs.writeFileSync(path.join(dir, "CURRENT"), "garbage");
    await expect(openDatabase(dir)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", dir },
    });
  });

  it("rejects a CURRENT file naming a missing manifest as STORAGE_CORRUPT", async () => {
    const dir = temp.dir();
    await (await openDatabase(dir)).close();
    fs.writeFileSync(path.join(dir, "CURRENT"), "MANIFEST-999999\n");
    await expect(openDatabase(dir)).rejects.toMatchObject({ type: { code: "STORAGE_CORRUPT" } });
  });

  it("rejects a damaged manifest as STORAGE_CORRUPT", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    await db.batch([{ type: "put", space: "aux", key: bytes("k"), value: bytes("v") }]);
    await db.close();
    for (const name of fs.readdirSync(dir).filter((n) => n.startsWith("MANIFEST"))) {
      fs.writeFileSync(path.join(dir, name), Buffer.alloc(200, 0x55));
    }
    await expect(openDatabase(dir)).rejects.toMatchObject({ type: { code: "STORAGE_CORRUPT" } });
  });

  it("refuses a non-empty directory that holds no database, leaving it untouched", async () => {
    const dir = temp.dir();
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    await expect(openDatabase(dir)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", reason: expect.stringMatching(/holds no LevelDB/) },
    });
    expect(fs.readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("refuses a LevelDB database that anode did not create", async () => {
    const dir = temp.dir();
    const foreign = new ClassicLevel(dir);
    await foreign.put("someone", "else");
    await foreign.close();
    await expect(openDatabase(dir)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", reason: expect.stringMatching(/did not create/) },
    });
    // The refused database was closed again, so it is not left locked.
    await (await openDatabase(temp.dir())).close();
    const reopened = new ClassicLevel(dir);
    await reopened.open();
    await reopened.close();
  });

  it("refuses a database written in an unknown storage format", async () => {
    const dir = temp.dir();
    await (await openDatabase(dir)).close();
    const raw = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
      keyEncoding: "view",
      valueEncoding: "view",
    });
    await raw.put(bytes("mformat"), Uint8Array.of(99));
    await raw.close();
    await expect(openDatabase(dir)).rejects.toMatchObject({
      type: { code: "STORAGE_CORRUPT", reason: expect.stringMatching(/format \(99\)/) },
    });
  });

  it("reports a path that is a file as STORAGE_OPEN_FAILED", async () => {
    const file = path.join(temp.dir(), "plain-file");
    fs.writeFileSync(file, "x");
    await expect(openDatabase(file)).rejects.toMatchObject({
      type: { code: "STORAGE_OPEN_FAILED", dir: file, reason: "the path is not a directory" },
    });
  });

  it("reports other open failures as STORAGE_OPEN_FAILED with the cause's reason", async () => {
    class FailingLevel extends ClassicLevel<Uint8Array, Uint8Array> {
      override async open(): Promise<void> {
        throw Object.assign(new Error("Database failed to open"), {
          code: "LEVEL_DATABASE_NOT_OPEN",
          cause: { code: "LEVEL_IO_ERROR", message: "IO error: disk on fire" },
        });
      }
    }
    const dir = temp.dir();
    await expect(
      openDatabase(dir, { Level: FailingLevel as unknown as typeof ClassicLevel }),
    ).rejects.toMatchObject({
      type: { code: "STORAGE_OPEN_FAILED", reason: "IO error: disk on fire" },
    });
  });
});

describe("Database", () => {
  it("keeps spaces apart and iterates one space in key order", async () => {
    const db = await temp.open();
    await db.batch([
      { type: "put", space: "aux", key: bytes("b"), value: bytes("2") },
      { type: "put", space: "aux", key: bytes("a"), value: bytes("1") },
      { type: "put", space: "blocks", key: bytes("a"), value: bytes("other") },
    ]);
    const seen: string[] = [];
    for await (const [key, value] of db.entries("aux")) seen.push(`${text(key)}=${text(value)}`);
    expect(seen).toEqual(["a=1", "b=2"]);
    const reversed: string[] = [];
    for await (const [key] of db.entries("aux", { reverse: true, limit: 1 })) {
      reversed.push(text(key) as string);
    }
    expect(reversed).toEqual(["b"]);
  });

  it("applies exclusive bounds", async () => {
    const db = await temp.open();
    await db.batch(
      ["a", "b", "c"].map((k) => ({
        type: "put" as const,
        space: "aux" as const,
        key: bytes(k),
        value: bytes(k),
      })),
    );
    const seen: string[] = [];
    for await (const [key] of db.entries("aux", { gt: bytes("a"), lte: bytes("c") })) {
      seen.push(text(key) as string);
    }
    expect(seen).toEqual(["b", "c"]);
  });

  it("clear() empties one space only", async () => {
    const db = await temp.open();
    await db.batch([
      { type: "put", space: "aux", key: bytes("a"), value: bytes("1") },
      { type: "put", space: "blocks", key: bytes("a"), value: bytes("1") },
    ]);
    await db.clear("aux");
    expect(await db.isEmpty("aux")).toBe(true);
    expect(await db.isEmpty("blocks")).toBe(false);
  });

  it("batch() deletes as well as puts", async () => {
    const db = await temp.open();
    await db.batch([{ type: "put", space: "aux", key: bytes("a"), value: bytes("1") }]);
    await db.batch([{ type: "del", space: "aux", key: bytes("a") }], { sync: true });
    expect(await db.get("aux", bytes("a"))).toBeUndefined();
    await db.batch([]);
  });

  it("runs close hooks once and then refuses operations with STORAGE_CLOSED", async () => {
    const dir = temp.dir();
    const db = await openDatabase(dir);
    let calls = 0;
    db.onClose(() => calls++);
    const removed = db.onClose(() => calls++ * 100);
    removed();
    await db.close();
    await db.close();
    expect(calls).toBe(1);
    expect(db.closed).toBe(true);
    await expect(db.get("aux", bytes("a"))).rejects.toMatchObject({
      type: { code: "STORAGE_CLOSED" },
    });
    await expect(db.batch([])).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
    await expect(db.clear("aux")).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
    await expect(db.isEmpty("aux")).rejects.toMatchObject({ type: { code: "STORAGE_CLOSED" } });
  });
});

const classicLevelPath = createRequire(import.meta.url).resolve("classic-level");

/** Starts a separate node process that opens `dir` and holds it until told to stop. */
function holdLockInChild(dir: string): Promise<ChildProcess> {
  const script = `
    const { ClassicLevel } = require(${JSON.stringify(classicLevelPath)});
    const db = new ClassicLevel(${JSON.stringify(dir)});
    db.open().then(() => process.stdout.write("ready\\n"));
    process.stdin.on("end", () => db.close().then(() => process.exit(0)));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", () => resolve(child));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.stdin?.end();
  });
}
