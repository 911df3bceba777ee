import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeProcess, runCli, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";

describe("bad input gets a clear error and a non-zero exit; the node keeps running", () => {
  const dir = tempDir();
  const files = tempDir();
  let node: NodeProcess;
  let g: string[];

  beforeAll(async () => {
    const port = await freePort();
    g = ["--data-dir", dir.path, "--api-port", String(port)];
    node = await startNodeProcess(g, { env: { ANODE_NODE_BLOCK_INTERVAL_MS: "20" } });
  });

  afterAll(async () => {
    await node?.stop();
    dir.remove();
    files.remove();
  });

  const file = (name: string, text: string) => {
    const p = join(files.path, name);
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ["a file that is not JSON", "{ not json", /not valid JSON/],
    [
      "an op writing an undeclared key",
      JSON.stringify({
        kind: "kv",
        reads: [],
        writes: [],
        ops: [{ op: "put", key: "a", value: "1" }],
      }),
      /writes must list key "a"/,
    ],
    [
      "an unknown op",
      JSON.stringify({ kind: "kv", reads: [], writes: ["a"], ops: [{ op: "explode", key: "a" }] }),
      /ops\[0\]/,
    ],
    ["a wrong kind", JSON.stringify({ kind: "nock", reads: [], writes: [], ops: [] }), /kind/],
    [
      "an oversized transaction",
      JSON.stringify({
        kind: "kv",
        reads: [],
        writes: ["a"],
        ops: [{ op: "put", key: "a", value: "x".repeat(70_000) }],
      }),
      /over the limit of 65536/,
    ],
  ])("tx submit --file with %s exits 2 with a clear message", async (_what, text, message) => {
    const r = await runCli([
      ...g,
      "tx",
      "submit",
      "--file",
      file(`tx-${Math.random()}.json`, text),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("unknown commands and flags exit 2 with a suggestion", async () => {
    const cmd = await runCli([...g, "stauts"]);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'stauts'/);
    expect(cmd.stderr).toMatch(/status/);
    const flag = await runCli([...g, "tx", "submit", "--putt", "a=1"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--putt'/);
    const badInt = await runCli([...g, "state", "get", "k", "--at", "-3"]);
    expect(badInt.code).toBe(2);
  });

  it("a wrong API token exits 4; a missing one too, saying where it looked", async () => {
    const other = tempDir();
    try {
      writeFileSync(join(other.path, "api.token"), "0".repeat(64));
      const wrong = await runCli([
        "--data-dir",
        other.path,
        "--api-port",
        g[3] as string,
        "status",
      ]);
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toMatch(/wrong API token/);
      const empty = tempDir();
      const missing = await runCli([
        "--data-dir",
        empty.path,
        "--api-port",
        g[3] as string,
        "status",
      ]);
      empty.remove();
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/no API token at/);
    } finally {
      other.remove();
    }
  });

  it("an unknown transaction id exits 5 and a malformed one exits 2", async () => {
    expect((await runCli([...g, "tx", "status", "f".repeat(64)])).code).toBe(5);
    expect((await runCli([...g, "tx", "status", "nope"])).code).toBe(2);
  });

  it("a second node on a data directory in use exits 3 saying it is locked", async () => {
    const port = await freePort();
    const r = await runCli(["--data-dir", dir.path, "--api-port", String(port), "start"], {
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/locked/);
  });

  it("after all that the node still serves", async () => {
    const r = await runCli([...g, "tx", "submit", "--put", "still=here", "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    expect(node.proc.exitCode).toBeNull();
  });
});

describe("start refuses bad configuration and bad data directories", () => {
  it("a config file that fails the schema exits 2 naming the file and the setting", async () => {
    const d = tempDir();
    try {
      writeFileSync(
        join(d.path, "config.json"),
        JSON.stringify({ api: { port: 99999 }, bogus: 1 }),
      );
      const r = await runCli(["--data-dir", d.path, "start"], { timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("config.json");
      expect(r.stderr).toMatch(/\/api\/port must be <= 65535/);
      expect(r.stderr).toMatch(/bogus/);
    } finally {
      d.remove();
    }
  });

  it("an environment variable with a bad value exits 2 naming it", async () => {
    const d = tempDir();
    try {
      const r = await runCli(["--data-dir", d.path, "start"], {
        env: { ANODE_API_PORT: "http" },
        timeoutMs: 20_000,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ANODE_API_PORT/);
    } finally {
      d.remove();
    }
  });

  it("a corrupt data directory exits non-zero with a clear reason", async () => {
    const d = tempDir();
    try {
      mkdirSync(join(d.path, "db"));
      writeFileSync(join(d.path, "db", "CURRENT"), "garbage\n");
      writeFileSync(join(d.path, "db", "junk"), "not leveldb");
      const port = await freePort();
      const r = await runCli(["--data-dir", d.path, "--api-port", String(port), "start"], {
        timeoutMs: 20_000,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Cannot open/);
      expect(r.stderr).toMatch(/corrupt|not an anode|LevelDB/i);
    } finally {
      d.remove();
    }
  });
});
