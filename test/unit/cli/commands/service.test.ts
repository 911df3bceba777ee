import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../../../src/cli/cliError";
import type { CommandSpec } from "../../../../src/cli/commandSpec";
import { serviceCommandFor } from "../../../../src/cli/commands/service";
import { reachProblems } from "../../../../src/cli/commands/service/reachProblems";
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

  function verbs(
    runner: CommandRunner,
    platform: NodeJS.Platform = "linux",
    self: readonly string[] = ["/usr/bin/node", "/opt/anode/anode.cjs"],
  ) {
    const spec = serviceCommandFor(() => ({
      host: {
        platform,
        env: {},
        home: join(root.path, "home"),
        uid: 1000,
        runner,
        root: root.path,
      },
      self,
    }));
    return async (verb: string, options: Record<string, unknown> = {}) => {
      const sub = spec.subcommands?.find((s: CommandSpec) => s.command === verb) as CommandSpec;
      const io = captureIo();
      const code = await sub.handler?.({ args: [], options, io });
      return { code, out: io.out(), err: io.err() };
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
    const run = verbs(runner, "linux", ["/usr/local/bin/anode"]);
    await run("install", { user: true });
    const r = await run("status", { user: true, json: true });
    const s = JSON.parse(r.out) as Record<string, unknown>;
    expect(s).toMatchObject({ manager: "systemd", scope: "user", installed: true });
    expect(r.code).toBe(s.running ? 0 : 3);
  });
});

describe("anode service install when the service could not run the executable", () => {
  let root: ReturnType<typeof tempDir>;
  beforeEach(() => {
    root = tempDir("anode-svc-reach-");
    mkdirSync(join(root.path, "run/systemd/system"), { recursive: true });
  });
  afterEach(() => root.remove());

  function install(
    platform: NodeJS.Platform,
    self: readonly string[],
    options: Record<string, unknown>,
  ) {
    const { runner, calls } = recorder();
    const spec = serviceCommandFor(() => ({
      host: { platform, env: {}, home: join(root.path, "home"), uid: 0, runner, root: root.path },
      self,
    }));
    const sub = spec.subcommands?.find((s: CommandSpec) => s.command === "install") as CommandSpec;
    const io = captureIo();
    const run = Promise.resolve(sub.handler?.({ args: [], options, io }));
    return { run, calls, out: io.out, err: io.err };
  }
  const unit = () => join(root.path, "etc/systemd/system/anode.service");
  const checkout = ["/usr/bin/node", "/tmp/anode-co/dist/anode.cjs"];

  it("refuses a source checkout under /tmp with exit 2, saying why and what to do", async () => {
    const r = install("linux", checkout, {});
    const err = await r.run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exit).toBe(2);
    const message = (err as CliError).message;
    expect(message).toMatch(
      /^Cannot install the service: the service would run the script \/tmp\/anode-co\/dist\/anode\.cjs with the interpreter \/usr\/bin\/node/,
    );
    expect(message).toContain("PrivateTmp=yes hides from the service");
    expect(message).toContain("/usr/local/bin/anode");
    expect(message).toContain("--force installs it anyway");
    expect(r.calls).toEqual([]);
    expect(existsSync(unit())).toBe(false);
  });

  it("refuses a binary in a home directory, which ProtectHome hides", async () => {
    const err = await install("linux", ["/home/me/anode"], {}).run.catch((e: unknown) => e);
    expect((err as CliError).exit).toBe(2);
    expect((err as CliError).message).toContain("ProtectHome=yes");
  });

  it("installs with --force, warning on stderr", async () => {
    const r = install("linux", checkout, { force: true });
    expect(await r.run).toBe(0);
    expect(readFileSync(unit(), "utf8")).toContain(
      "ExecStart=/usr/bin/node /tmp/anode-co/dist/anode.cjs",
    );
    expect(r.err()).toMatch(/^anode service: warning: the service would run the script/);
    expect(r.calls).toContain("systemctl enable anode.service");
  });

  it("--print prints the unit and the warning on stderr, and changes nothing", async () => {
    const r = install("linux", checkout, { print: true });
    expect(await r.run).toBe(0);
    expect(r.out()).toContain("PrivateTmp=yes");
    expect(r.out()).toContain(
      "ExecStart=/usr/bin/node /tmp/anode-co/dist/anode.cjs start --system",
    );
    expect(r.err()).toContain("PrivateTmp=yes hides from the service");
    expect(r.calls).toEqual([]);
  });

  it("says nothing about a binary in a system path", async () => {
    const r = install("linux", ["/usr/local/bin/anode"], { print: true });
    expect(await r.run).toBe(0);
    expect(r.err()).toBe("");
  });

  it.each([
    ["darwin", ["/usr/local/bin/node", "/Users/me/anode/dist/anode.cjs"], "/usr/local/bin/anode"],
    [
      "win32",
      ["C:\\Program Files\\nodejs\\node.exe", "C:\\src\\anode\\dist\\anode.cjs"],
      "C:\\Program Files\\anode\\anode.exe",
    ],
  ] as const)(
    "on %s: refuses a script run by an interpreter, and --print warns",
    async (platform, self, advice) => {
      const err = await install(platform, self, {}).run.catch((e: unknown) => e);
      expect((err as CliError).exit).toBe(2);
      expect((err as CliError).message).toContain("with the interpreter");
      expect((err as CliError).message).toContain(advice);
      const printed = install(platform, self, { print: true });
      expect(await printed.run).toBe(0);
      expect(printed.err()).toContain("with the interpreter");
    },
  );

  it("on darwin and win32: refuses a binary in a temporary directory", async () => {
    for (const [platform, binary] of [
      ["darwin", "/private/var/folders/xy/T/anode"],
      ["win32", "C:\\Windows\\Temp\\anode.exe"],
    ] as const) {
      const err = await install(platform, [binary], {}).run.catch((e: unknown) => e);
      expect((err as CliError).exit, platform).toBe(2);
      expect((err as CliError).message).toContain("temporary directory");
    }
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

describe("reachProblems()", () => {
  it("follows a symlink to the file the service manager would open", () => {
    const host = {
      platform: "linux" as const,
      env: {},
      home: "/home/me",
      uid: 0,
      runner: recorder().runner,
    };
    const def = { command: ["/usr/local/bin/anode"], scope: "system" as const };
    expect(reachProblems(def, host, { realpath: (p) => p })).toBeUndefined();
    const linked = reachProblems(def, host, { realpath: () => "/home/me/anode/anode" });
    expect(linked?.why).toBe(
      "/home/me/anode/anode is under /home/, which the unit's ProtectHome=yes hides from the service: it could never start",
    );
  });
});
