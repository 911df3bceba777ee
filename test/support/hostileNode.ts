import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { putTx } from "./kvTxs";
import { type NodeProcess, startNodeProcess } from "./nodeProcess";
import { freePort } from "./ports";
import { tempDir } from "./tempDir";
import { type ReleaseKey, releaseKey } from "./upgradeRelease";

export interface ApiReply<T> {
  status: number;
  body: T;
}

/** A file's hash by its path under the data directory. */
export type DataSnapshot = Record<string, string>;

export interface HostileNode {
  dataDir: string;
  /** The folder beside the data directory for the test's own files (releases, keys). */
  workDir: string;
  key: ReleaseKey;
  proc: NodeProcess;
  apiPort: number;
  /** Calls the control API with the node's token unless `headers` replaces it. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiReply<T>>;
  /** Hashes every file outside the staging area (`upgrade/releases`) and the store (`db`). */
  snapshot(): DataSnapshot;
  /**
   * The floor of every attack test: the node still commits a fresh transaction and reads
   * it back, and no file outside the staging area and the store differs from `before`
   * (except the ones named in `changed`, which must differ).
   */
  expectUnharmed(before: DataSnapshot, o?: { changed?: string[] }): Promise<void>;
}

/** Paths under the data directory that attacks may touch: staged bytes and the store. */
const OUTSIDE_SNAPSHOT = [join("upgrade", "releases"), "db"];

/**
 * One real `anode start` process for the tests of a file, trusting a throwaway release key
 * (through the environment, as a private network would), in its own temp folder; stopped
 * and removed in afterAll.
 */
export function useHostileNode(o: { env?: Record<string, string> } = {}): () => HostileNode {
  let current: HostileNode | undefined;
  let dir: { path: string; remove(): void } | undefined;
  beforeAll(async () => {
    dir = tempDir("anode-hostile-");
    const dataDir = join(dir.path, "data");
    const key = releaseKey(dir.path);
    const apiPort = await freePort();
    const proc = await startNodeProcess(["--data-dir", dataDir, "--api-port", String(apiPort)], {
      env: { ...key.env, ...o.env },
    });
    const token = () => readFileSync(join(dataDir, "api.token"), "utf8").trim();
    const api: HostileNode["api"] = async (method, path, body, headers) => {
      const res = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
        method,
        headers: headers ?? {
          authorization: `Bearer ${token()}`,
          "content-type": "application/json",
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === "string" ? body : JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON (metrics text, an error page): the test reads the text.
      }
      return { status: res.status, body: parsed as never };
    };
    const snapshot = () => hashTree(dataDir);
    current = {
      dataDir,
      workDir: dir.path,
      key,
      proc,
      apiPort,
      api,
      snapshot,
      async expectUnharmed(before, e = {}) {
        expect(proc.proc.exitCode, `the node exited\n${proc.output().stderr}`).toBeNull();
        const key = `hostile-${randomUUID()}`;
        const sent = await api<{ id: string }>("POST", "/v1/tx", putTx(key, 1));
        expect(sent.status, JSON.stringify(sent.body)).toBe(202);
        const done = await api<{ status: { state: string } }>(
          "GET",
          `/v1/tx/${sent.body.id}?wait=10000`,
        );
        expect(done.body.status.state, "the node no longer commits transactions").toBe("committed");
        const read = await api<{ value?: unknown }>("GET", `/v1/state/${key}`);
        expect(read.body.value).toBe(1);
        const after = snapshot();
        const changed = new Set(e.changed ?? []);
        for (const path of changed) {
          expect(after[path], `${path} should have changed`).not.toBe(before[path]);
        }
        const strip = (s: DataSnapshot) =>
          Object.fromEntries(Object.entries(s).filter(([p]) => !changed.has(p)));
        expect(strip(after), "files outside the staging area changed").toEqual(strip(before));
      },
    };
  });
  afterAll(async () => {
    await current?.proc.stop();
    current = undefined;
    dir?.remove();
    dir = undefined;
  });
  return () => {
    if (current === undefined) throw new Error("useHostileNode() is only available inside a test");
    return current;
  };
}

function hashTree(root: string): DataSnapshot {
  const out: DataSnapshot = {};
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (OUTSIDE_SNAPSHOT.some((p) => rel === p || rel.startsWith(p + sep))) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[rel] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(root);
  return out;
}
