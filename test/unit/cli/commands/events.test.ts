import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { runCli } from "../../../../src/cli/runCli";
import { type CliRun, captureIo, cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";
import { freePort } from "../../../support/ports";
import { useTempDir } from "../../../support/useTempDir";
import { waitUntil } from "../../../support/waitUntil";

const n = useCliNode();

/**
 * Runs `anode events ...` while submitting transactions every 50 ms (the stream only sees
 * events after it subscribed), until the command ends; fails after 5 s.
 */
async function streamWhileSubmitting(
  argv: string[],
  submit: string[][],
  opts: { colour?: boolean } = {},
): Promise<CliRun> {
  let ended = false;
  const run = cli(
    [...n().flags, ...argv],
    opts.colour === undefined ? {} : { colour: opts.colour },
  );
  void run.finally(() => {
    ended = true;
  });
  await waitUntil(() => ended, `anode events ${argv.join(" ")} to end`, {
    everyMs: 50,
    between: async () => {
      for (const s of submit) await cli([...n().flags, "tx", "submit", ...s]);
    },
  });
  return run;
}

describe("anode events", () => {
  it("--topic --json --count 2 prints two JSON lines of that topic and exits 0", async () => {
    const r = await streamWhileSubmitting(
      ["--json", "events", "--topic", "tx.committed", "--count", "2"],
      [["--put", "e=1"]],
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ topic: "tx.committed", body: { ok: true } });
  });

  it("prints a timestamped text line per event, coloured only when allowed", async () => {
    const plain = await streamWhileSubmitting(
      ["events", "--topic", "tx.*", "--count", "1"],
      [["--put", "t=1"]],
    );
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z tx\.\S+ \{.*\}\n$/);
    const coloured = await streamWhileSubmitting(
      ["events", "--topic", "tx.*", "--count", "1"],
      [["--put", "t=2"]],
      { colour: true },
    );
    expect(coloured.code, coloured.stderr).toBe(0);
    expect(coloured.stdout).toContain("\u001b[36mtx.");
    expect(coloured.stdout).toContain("\u001b[2m");
  });

  it("--filter passes only events whose body matches", async () => {
    const file = join(n().dataDir, "cas.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "kv",
        reads: ["c"],
        writes: ["c"],
        ops: [{ op: "cas", key: "c", expect: "never", value: "x" }],
      }),
    );
    const filter = JSON.stringify([{ name: "field", params: { path: "ok", equals: false } }]);
    const r = await streamWhileSubmitting(
      ["--json", "events", "--topic", "tx.committed", "--filter", filter, "--count", "1"],
      [
        ["--put", "fine=1"],
        ["--file", file],
      ],
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      topic: "tx.committed",
      body: { ok: false },
    });
  });

  it("a --filter that is not JSON exits 2 with the node's message", async () => {
    const r = await cli([...n().flags, "events", "--filter", "{bad"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe(
      "anode: Cannot subscribe: the filter query parameter is not valid JSON\n",
    );
  });

  it("a --filter naming an unknown filter exits 2 when the node closes the stream", async () => {
    const r = await cli([...n().flags, "events", "--filter", '[{"name":"nosuch"}]']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("event stream closed: 1008");
    expect(r.stderr).toContain('unknown filter "nosuch" (known: field, topic)');
  });

  it("streams until SIGINT, then exits 0", async () => {
    const io = captureIo();
    const run = runCli([...n().flags, "--json", "events", "--topic", "tx.committed"], io);
    await waitUntil(() => io.out() !== "", "the first event on the stream", {
      everyMs: 50,
      between: () => cli([...n().flags, "tx", "submit", "--put", "sig=1"]),
    });
    process.emit("SIGINT");
    expect(await run, io.err()).toBe(0);
    expect(JSON.parse(io.out().split("\n")[0] as string)).toMatchObject({ topic: "tx.committed" });
  });
});

describe("anode events without a usable node", () => {
  const dir = useTempDir("anode-events-");

  it("exits 4 when the data directory holds no API token", async () => {
    const r = await cli(["--data-dir", dir(), "events"]);
    expect(r.code).toBe(EXIT.UNAUTHORIZED);
    expect(r.stderr).toContain(`no API token at ${join(dir(), "api.token")}`);
  });

  it("exits 4 when the node refuses the token", async () => {
    writeFileSync(join(dir(), "api.token"), `${"f".repeat(64)}\n`);
    const port = String(n().node.options.api.port);
    const r = await cli(["--data-dir", dir(), "--api-port", port, "events"]);
    expect(r.code).toBe(EXIT.UNAUTHORIZED);
    expect(r.stderr).toContain("missing or wrong API token");
  });

  it("exits 3 when nothing listens on the API port", async () => {
    writeFileSync(join(dir(), "api.token"), `${"f".repeat(64)}\n`);
    const port = String(await freePort());
    const r = await cli(["--data-dir", dir(), "--api-port", port, "events"]);
    expect(r.code).toBe(EXIT.UNAVAILABLE);
    expect(r.stderr).toContain(`Cannot stream events from http://127.0.0.1:${port}`);
  });
});
