import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";
import { useTempDir } from "../../../support/useTempDir";

const n = useCliNode();
const files = useTempDir("anode-txfiles-");

function txFile(name: string, body: unknown): string {
  const file = join(files(), name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

const ID = /^[0-9a-f]{64}$/;

function idOf(stdout: string): string {
  const id = stdout.split(" ")[0] ?? "";
  expect(id).toMatch(ID);
  return id;
}

async function readValue(key: string): Promise<string> {
  const r = await cli([...n().flags, "state", "get", key]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("anode tx submit", () => {
  it("--put submits a transaction and prints its id and pending status", async () => {
    const r = await cli([...n().flags, "tx", "submit", "--put", "greeting=hello"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64} pending\n$/);
  });

  it("--put --wait prints the commit, and the value can be read back", async () => {
    const r = await cli([...n().flags, "tx", "submit", "--put", "w=1", "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64} committed at height \d+, index \d+\n$/);
    expect(await readValue("w")).toBe("1");
  });

  it("--incr counts each submission and --delete removes a key", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await cli([...n().flags, "tx", "submit", "--incr", "hits=3", "--wait"]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(await readValue("hits")).toBe("6");
    const del = await cli([...n().flags, "tx", "submit", "--delete", "hits", "--wait"]);
    expect(del.code, del.stderr).toBe(0);
    const gone = await cli([...n().flags, "state", "get", "hits"]);
    expect(gone.code).toBe(EXIT.NOT_FOUND);
  });

  it("--nonce makes the same command the same transaction: the second is a duplicate", async () => {
    const argv = [...n().flags, "tx", "submit", "--put", "d=1", "--nonce", "same", "--wait"];
    const first = await cli(argv);
    expect(first.code, first.stderr).toBe(0);
    const second = await cli(argv);
    expect(second.code, second.stderr).toBe(0);
    expect(idOf(second.stdout)).toBe(idOf(first.stdout));
    expect(second.stdout).toContain("(duplicate: already known)");
    const json = await cli([
      ...n().flags,
      "--json",
      "tx",
      "submit",
      "--put",
      "d=1",
      "--nonce",
      "same",
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: idOf(first.stdout),
      duplicate: true,
      status: { state: "committed", ok: true },
    });
  });

  it("--json --wait prints the id, committed status and duplicate flag", async () => {
    const r = await cli([...n().flags, "--json", "tx", "submit", "--put", "j=2", "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: expect.stringMatching(ID),
      status: { state: "committed", ok: true },
      duplicate: false,
    });
  });

  it("--file submits a JSON transaction", async () => {
    const file = txFile("one.json", {
      kind: "kv",
      reads: [],
      writes: ["f"],
      ops: [{ op: "put", key: "f", value: "from-file" }],
    });
    const r = await cli([...n().flags, "tx", "submit", "--file", file, "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readValue("f")).toBe("from-file");
  });

  it("--file with a single invalid transaction exits 2 with the node's reason", async () => {
    const file = txFile("invalid.json", {
      kind: "kv",
      reads: [],
      writes: [],
      ops: [{ op: "put", key: "x", value: "1" }],
    });
    const r = await cli([...n().flags, "tx", "submit", "--file", file]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe(
      'anode: Cannot accept transaction: writes must list key "x" because op 0 writes it\n',
    );
    expect(r.stdout).toBe("");
  });

  it("a cas that fails is committed with ok:false and exits 1", async () => {
    const file = txFile("cas.json", {
      kind: "kv",
      reads: ["owner"],
      writes: ["owner"],
      ops: [{ op: "cas", key: "owner", expect: "bob", value: "alice" }],
    });
    const r = await cli([...n().flags, "tx", "submit", "--file", file, "--wait"]);
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stdout).toMatch(/committed at height \d+, index \d+, failed: .+/);
    const id = idOf(r.stdout);
    const status = await cli([...n().flags, "--json", "tx", "status", id]);
    expect(status.code).toBe(EXIT.FAILURE);
    expect(JSON.parse(status.stdout)).toMatchObject({
      id,
      status: { state: "committed", ok: false, error: expect.any(String) },
    });
  });

  describe("a { txs: [...] } batch file", () => {
    const good = (key: string) => ({
      kind: "kv",
      reads: [],
      writes: [key],
      ops: [{ op: "put", key, value: "batched" }],
    });
    const bad = { kind: "nope" };

    it("submits every transaction and reports each", async () => {
      const file = txFile("batch.json", { txs: [good("b1"), good("b2")] });
      const r = await cli([...n().flags, "tx", "submit", "--file", file, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} committed at height/);
      expect(await readValue("b2")).toBe("batched");
    });

    it("with one rejected transaction exits 2 and still reports the accepted ones", async () => {
      const file = txFile("mixed.json", { txs: [good("m1"), bad, good("m2")] });
      const r = await cli([...n().flags, "tx", "submit", "--file", file]);
      expect(r.code).toBe(EXIT.USAGE);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^[0-9a-f]{64} pending$/);
      expect(lines[1]).toBe("rejected Cannot accept transaction: reads is missing");
      expect(lines[2]).toMatch(/^[0-9a-f]{64} pending$/);
    });

    it("--json --wait lists the results in order, the rejected one as an error", async () => {
      const file = txFile("mixed2.json", { txs: [good("m3"), bad] });
      const r = await cli([...n().flags, "--json", "tx", "submit", "--file", file, "--wait"]);
      expect(r.code).toBe(EXIT.USAGE);
      const { results } = JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> };
      expect(results).toHaveLength(2);
      expect(results[0]).toMatchObject({
        id: expect.stringMatching(ID),
        status: { state: "committed" },
      });
      expect(results[1]).toMatchObject({ error: { code: expect.stringMatching(/^TX_/) } });
    });
  });

  it("--file - reads the transaction from stdin", async () => {
    const original = Object.getOwnPropertyDescriptor(process, "stdin");
    const body = JSON.stringify({
      kind: "kv",
      reads: [],
      writes: ["in"],
      ops: [{ op: "put", key: "in", value: "stdin" }],
    });
    Object.defineProperty(process, "stdin", {
      configurable: true,
      value: Readable.from([Buffer.from(body)]),
    });
    try {
      const r = await cli([...n().flags, "tx", "submit", "--file", "-", "--wait"]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      if (original) Object.defineProperty(process, "stdin", original);
    }
    expect(await readValue("in")).toBe("stdin");
  });

  it("refuses both --file and op flags with exit 2, before contacting the node", async () => {
    const r = await cli([
      "--data-dir",
      files(),
      "tx",
      "submit",
      "--file",
      "x.json",
      "--put",
      "k=v",
    ]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe(
      "anode: Cannot submit: give either --file or --put/--delete/--incr, not both\n",
    );
  });

  it("refuses a submit with no ops with exit 2", async () => {
    const r = await cli(["--data-dir", files(), "tx", "submit"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("nothing to submit");
  });

  it("refuses a bad --timeout with exit 2", async () => {
    const r = await cli([...n().flags, "tx", "submit", "--put", "k=v", "--timeout", "0"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("Cannot use --timeout 0");
  });
});

describe("anode tx status", () => {
  it("shows a known transaction, and waits for its commit with --wait", async () => {
    const submitted = await cli([...n().flags, "tx", "submit", "--put", "s=1"]);
    const id = idOf(submitted.stdout);
    const now = await cli([...n().flags, "tx", "status", id]);
    expect(now.code, now.stderr).toBe(0);
    expect(now.stdout).toMatch(new RegExp(`^${id} (pending|ordered|executed|committed)`));
    const waited = await cli([...n().flags, "tx", "status", id, "--wait", "--timeout", "10000"]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(new RegExp(`^${id} committed at height \\d+, index \\d+\\n$`));
  });

  it("exits 5 for a transaction the node does not know, with or without --wait", async () => {
    const id = "0".repeat(64);
    const r = await cli([...n().flags, "tx", "status", id]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stdout).toBe(`${id} unknown to this node\n`);
    const waited = await cli([...n().flags, "--json", "tx", "status", id, "--wait"]);
    expect(waited.code).toBe(EXIT.NOT_FOUND);
    expect(JSON.parse(waited.stdout)).toEqual({ id, status: { state: "unknown" } });
  });

  it.each([["abc"], ["F".repeat(64)], ["0".repeat(63)]])(
    "exits 2 for the malformed id %s",
    async (id) => {
      const r = await cli([...n().flags, "tx", "status", id]);
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.stderr).toContain(`Cannot look up ${id}: a transaction id is 64 lowercase hex`);
    },
  );
});

describe("waiting on a node that cuts blocks rarely", () => {
  const slow = useCliNode({ blockIntervalMs: 60_000 });

  it("tx submit --wait --timeout exits 6 and shows where the transaction got to", async () => {
    const started = Date.now();
    const r = await cli([
      ...slow().flags,
      "tx",
      "submit",
      "--put",
      "k=v",
      "--wait",
      "--timeout",
      "200",
    ]);
    expect(r.code).toBe(EXIT.TIMEOUT);
    expect(r.stdout).toMatch(/^[0-9a-f]{64} pending\n$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("a batch with --wait --timeout exits 6", async () => {
    const file = txFile("slow-batch.json", {
      txs: [{ kind: "kv", reads: [], writes: ["sb"], ops: [{ op: "put", key: "sb", value: "1" }] }],
    });
    const r = await cli([
      ...slow().flags,
      "--json",
      "tx",
      "submit",
      "--file",
      file,
      "--wait",
      "--timeout",
      "100",
    ]);
    expect(r.code).toBe(EXIT.TIMEOUT);
    const { results } = JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> };
    expect(results[0]).toMatchObject({ status: { state: "pending" }, duplicate: false });
  });

  it("tx status --wait --timeout exits 6 for a transaction still pending", async () => {
    const submitted = await cli([...slow().flags, "tx", "submit", "--put", "p=1"]);
    const id = idOf(submitted.stdout);
    const r = await cli([...slow().flags, "tx", "status", id, "--wait", "--timeout", "100"]);
    expect(r.code).toBe(EXIT.TIMEOUT);
    expect(r.stdout).toBe(`${id} pending\n`);
  });
});
