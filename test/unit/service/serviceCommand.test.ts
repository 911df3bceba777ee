import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/cliError";
import type { CommandSpec } from "../../../src/cli/commandSpec";
import { serviceCommandFor } from "../../../src/cli/commands/service";
import { EXIT } from "../../../src/cli/exitCodes";
import type { Io } from "../../../src/cli/io";
import { runCli } from "../../../src/cli/runCli";
import { platformPaths } from "../../../src/config";
import type { CommandRunner } from "../../../src/service";
import { tempDir } from "../../support/tempDir";
import { recordingRunner } from "./recordingRunner";

function memoryIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    colour: false,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("anode service", () => {
  let root: ReturnType<typeof tempDir>;
  beforeEach(() => {
    root = tempDir("anode-svc-cli-");
  });
  afterEach(() => root.remove());

  function command(runner: CommandRunner, booted = true) {
    if (booted) mkdirSync(join(root.path, "run/systemd/system"), { recursive: true });
    const spec = serviceCommandFor(() => ({
      host: {
        platform: "linux",
        env: {},
        home: join(root.path, "home"),
        uid: 1000,
        runner,
        root: root.path,
      },
      self: ["/usr/bin/anode"],
    }));
    return (verb: string, options: Record<string, unknown> = {}) => {
      const sub = spec.subcommands?.find((s: CommandSpec) => s.command === verb);
      const m = memoryIo();
      const run = sub?.handler?.({ args: [], options, io: m.io });
      return { run: run ?? Promise.reject(new Error(`no ${verb}`)), ...m };
    };
  }

  it("apply-binary is boot's alone: reached in the app, it refuses with a usage error", async () => {
    const { runner } = recordingRunner();
    const { run } = command(runner)("apply-binary");
    await expect(run).rejects.toMatchObject({ code: "CLI_BOOT_ONLY", exit: EXIT.USAGE });
  });

  it("install then status: exit 0 when running, 3 when stopped, 5 before install", async () => {
    const states: Record<string, string> = { now: "inactive" };
    const { runner, calls } = recordingRunner();
    const answering: CommandRunner = {
      async run(p, a) {
        const r = await runner.run(p, a);
        return a[0] === "show" ? { ...r, stdout: `ActiveState=${states.now}\nMainPID=0\n` } : r;
      },
    };
    const svc = command(answering);
    expect(await svc("status").run).toBe(EXIT.NOT_FOUND);

    const install = svc("install");
    expect(await install.run).toBe(EXIT.OK);
    expect(install.out()).toBe(
      `anode service installed and enabled at boot (systemd, ${join(root.path, "etc/systemd/system/anode.service")})\n`,
    );
    expect(calls).toContain("systemctl enable anode.service");

    expect(await svc("status").run).toBe(EXIT.UNAVAILABLE);
    states.now = "active";
    const status = svc("status", { json: true });
    expect(await status.run).toBe(EXIT.OK);
    expect(JSON.parse(status.out())).toMatchObject({
      manager: "systemd",
      scope: "system",
      installed: true,
      running: true,
    });
  });

  it("turns an absent service manager into exit 3 with the reason", async () => {
    const { runner } = recordingRunner();
    const err = await command(runner, false)("install").run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exit).toBe(EXIT.UNAVAILABLE);
    expect((err as CliError).message).toMatch(
      /^Cannot install the service: systemd is not running/,
    );
  });

  it("turns start before install into exit 5", async () => {
    const { runner } = recordingRunner();
    const err = await command(runner)("start").run.catch((e: unknown) => e);
    expect((err as CliError).exit).toBe(EXIT.NOT_FOUND);
  });

  it("is registered in the CLI: install --print shows the unit and changes nothing", async () => {
    const m = memoryIo();
    const code = await runCli(
      ["service", "install", "--print", "--binary", "/opt/anode/anode"],
      m.io,
    );
    expect(code).toBe(EXIT.OK);
    const expected =
      process.platform === "darwin"
        ? "<string>/opt/anode/anode</string>"
        : process.platform === "win32"
          ? "<arguments>start --system</arguments>"
          : "ExecStart=/opt/anode/anode start --system";
    expect(m.out()).toContain(expected);
  });

  it("--system selects the system-wide config and data directory, as the service runs", async () => {
    const m = memoryIo();
    expect(await runCli(["config", "path", "--system", "--json"], m.io)).toBe(EXIT.OK);
    const system = platformPaths({
      platform: process.platform,
      env: {},
      home: homedir(),
      system: true,
    });
    expect(JSON.parse(m.out())).toEqual({ configFile: system.configFile, dataDir: system.dataDir });
  });
});
