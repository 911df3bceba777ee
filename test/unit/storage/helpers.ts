import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import type { Database } from "../../../src/storage";
import { openDatabase } from "../../../src/storage";

/**
 * Gives each test its own temp directories and closes what it opened after it, even
 * when the test fails, then removes the directories.
 */
export function useTempDirs(): {
  dir: () => string;
  open: (dir?: string) => Promise<Database>;
  cleanup: (close: () => Promise<unknown>) => void;
} {
  const dirs: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const dir = (): string => {
    const created = fs.mkdtempSync(path.join(os.tmpdir(), "anode-"));
    dirs.push(created);
    return created;
  };
  return {
    dir,
    open: async (at?: string) => {
      const db = await openDatabase(at ?? dir());
      closers.push(() => db.close());
      return db;
    },
    cleanup: (close) => {
      closers.push(close);
    },
  };
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : new TextDecoder().decode(value);

/** Deterministic PRNG (mulberry32) so property-style tests replay exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
