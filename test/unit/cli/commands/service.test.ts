import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../../../src/cli/cliError";
import type { CommandSpec } from "../../../../src/cli/commandSpec";
import { serviceCommandFor } from "../../../../src/cli/commands/service";
import { toCliError } from "../../../../src/cli/commands/service/toCliError";
import type { CommandRunner } from "../../../../src/service";
import { serviceError } from "../../../../src/service";
import { captureIo, cli } from "../../../support/cliHarness";
import { tempDir } from "../../../support/tempDir";

/** Answers every command with success and records it. */
function recorder(
  answer: (line: string) => { code: number; stdout?: string } = () => ({ code: 0 }),
) {
  const calls: string[] = [];
  const runner: CommandRunner = {
    async run(program, args) {
      const line = [program, ...args].join(" ");
      calls.push(line);
      return { stdout: "", stderr: "", missing: false, ...answer(line) };
    },
  };
  return { runner, calls };
}

describe("anode service over a recording host", () => {
  let root: ReturnType<typeof tempDir>;
  beforeEach(() => {
    root = tempDir("anode-svc-");
    mkdirSync(join(root.path, "run/systemd/system"), { recursive: true });
  });
  afterEach(() => root.remove());

  function verbs(runner: CommandRunner, platform: NodeJS.Platform = "linux") {
    const spec = serviceCommandFor(() => ({
      host: {
        platform,
        env: {},
        home: join(root.path, "home"),
        uid: 1000,
        runner,
        root: root.path,
      },
      self: ["/usr/bin/node", "/opt/anode/anode.cjs"],
    }));
    return async (verb: string, options: Record<string, unknown> = {}) => {
      const sub = spec.subcommands?.find((s: CommandSpec) => s.command === verb) as CommandSpec;
      const io = captureIo();
      const code = await sub.handler?.({ args: [], options, io });
      return { code, out: io.out() };
    };
  }

  it("installs, starts, stops and uninstalls a user unit, saying what it did", async () => {
    const { runner, calls } = recorder();
    const run = verbs(runner);
    const installed = await run("install", { user: true, binary: "/usr/local/bin/anode" });
    expect(installed.code).toBe(0);
    expect(installed.out).toMatch(
      /^anode service installed and enabled at boot \(systemd, .*\)\n$/,
    );
    const unit = installed.out.replace(/^.*\(systemd, (.*)\)\n$/, "$1");
    expect(readFileSync(unit, "utf8")).toContain("/usr/local/bin/anode");
    expect((await run("start", { user: true })).out).toMatch(/^anode service started /);
    const stopped = await run("stop", { user: true, json: true });
    expect(JSON.parse(stopped.out)).toEqual({
      action: "stop",
      manager: "systemd",
      scope: "user",
      definition: unit,
    });
    expect((await run("uninstall", { user: true })).out).toMatch(
      /uninstalled \(data and config kept\)/,
    );
    expect(existsSync(unit)).toBe(false);
    expect(calls.some((c) => c.includes("systemctl") && c.includes("--user"))).toBe(true);
  });

  it("prints the definition for each platform with --print and changes nothing", async () => {
    const { runner, calls } = recorder();
    for (const [platform, marker] of [
      ["linux", "[Service]"],
      ["darwin", "<plist"],
      ["win32", "<service>"],
    ] as const) {
      const r = await verbs(runner, platform)("install", { print: true, user: true });
      expect(r.code).toBe(0);
      expect(r.out).toContain(marker);
      expect(r.out).toContain("/opt/anode/anode.cjs");
    }
    expect(calls).toEqual([]);
  });

  it("status --json reports an installed, running service with its pid", async () => {
    const { runner } = recorder((line) =>
      line.includes("show")
        ? {
            code: 0,
            stdout: "ActiveState=active\nSubState=running\nMainPID=4321\nLoadState=loaded\n",
          }
        : { code: 0 },
    );
    const run = verbs(runner);
    await run("install", { user: true });
    const r = await run("status", { user: true, json: true });
    const s = JSON.parse(r.out) as Record<string, unknown>;
    expect(s).toMatchObject({ manager: "systemd", scope: "user", installed: true });
    expect(r.code).toBe(s.running ? 0 : 3);
  });
});

describe("toCliError()", () => {
  it("maps a service manager's refusals to exit codes and passes other errors through", () => {
    const absent = toCliError(serviceError("SERVICE_MANAGER_ABSENT", "no systemd"));
    expect(absent).toBeInstanceOf(CliError);
    expect((absent as CliError).exit).toBe(3);
    expect((toCliError(serviceError("SERVICE_NOT_INSTALLED", "none")) as CliError).exit).toBe(5);
    const other = new Error("plain");
    expect(toCliError(other)).toBe(other);
  });
});

describe("anode service on this host", () => {
  it("install --print shows the definition that would run this CLI", async () => {
    const r = await cli(["service", "install", "--print", "--user"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
  });
});
