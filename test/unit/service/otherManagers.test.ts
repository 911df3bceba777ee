import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasCode } from "../../../src/errors";
import { parseWinswStatus, type ServiceHost, selectServiceManager } from "../../../src/service";
import { winswGrants } from "../../../src/service/winswManager";
import { tempDir } from "../../support/tempDir";
import { recordingRunner } from "./recordingRunner";

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir("anode-svc-");
});
afterEach(() => dir.remove());

const macHost = (runner: ServiceHost["runner"]): ServiceHost => ({
  platform: "darwin",
  env: {},
  home: join(dir.path, "Users/ada"),
  uid: 501,
  runner,
  root: dir.path,
});

describe("launchd service manager", () => {
  it("--user installs a LaunchAgent, bootstraps it on start, boots it out on stop", async () => {
    const { runner, calls } = recordingRunner({ "launchctl print": { code: 113 } });
    const m = selectServiceManager(macHost(runner), { scope: "user", command: ["/opt/anode"] });
    await m.install();
    const plist = join(dir.path, "Users/ada/Library/LaunchAgents/org.anode.node.plist");
    expect(m.definitionPath).toBe(plist);
    expect(readFileSync(plist, "utf8")).toContain(
      `<string>${join(dir.path, "Users/ada/Library/Logs/anode/anode.log")}</string>`,
    );
    await m.start();
    expect(calls).toEqual([
      "launchctl enable gui/501/org.anode.node",
      "launchctl print gui/501/org.anode.node",
      `launchctl bootstrap gui/501 ${plist}`,
    ]);
  });

  it("start kickstarts a job that is already loaded; status reads state and pid", async () => {
    const { runner, calls } = recordingRunner({
      "launchctl print": { stdout: "system/org.anode.node = {\n\tstate = running\n\tpid = 77\n}" },
    });
    const m = selectServiceManager(macHost(runner), {
      scope: "system",
      command: ["/usr/local/bin/anode"],
    });
    await m.install();
    await m.start();
    expect(calls).toContain("id -u _anode");
    expect(calls.at(-1)).toBe("launchctl kickstart system/org.anode.node");
    expect(await m.status()).toEqual({ installed: true, running: true, state: "running", pid: 77 });
  });

  it("a system install without the _anode account says the .pkg creates it", async () => {
    const { runner } = recordingRunner({ "id -u _anode": { code: 1 } });
    const m = selectServiceManager(macHost(runner), { scope: "system", command: ["/a"] });
    const err = await m.install().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_UNSUPPORTED")).toBe(true);
    expect((err as Error).message).toContain("the _anode account does not exist");
  });
});

describe("Windows service managers", () => {
  const winHost = (runner: ServiceHost["runner"]): ServiceHost => ({
    platform: "win32",
    env: {},
    systemDataDir: join(dir.path, "ProgramData", "anode", "data"),
    systemConfigFile: join(dir.path, "ProgramData", "anode", "config.json"),
    home: "C:\\Users\\ada",
    uid: 0,
    runner,
  });

  it("installs through WinSW: the config's folder read-only to the service, LocalService granted only its data and log folders, registers, sets the failure flag", async () => {
    const wrapper = join(dir.path, "anode-service.exe");
    writeFileSync(wrapper, "");
    const { runner, calls } = recordingRunner({ [`${wrapper} status`]: { stdout: "Started\n" } });
    const m = selectServiceManager(winHost(runner), {
      scope: "system",
      command: ["C:\\Program Files\\anode\\anode.exe"],
      winsw: wrapper,
    });
    await m.install();
    const root = join(dir.path, "ProgramData", "anode");
    expect(calls).toEqual([
      `icacls ${root} /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX`,
      `icacls ${root} /remove:g *S-1-5-19`,
      `icacls ${join(root, "data")} /grant *S-1-5-19:(OI)(CI)M`,
      `icacls ${join(root, "logs")} /grant *S-1-5-19:(OI)(CI)M`,
      `${wrapper} install`,
      "sc.exe failureflag anode 1",
    ]);
    expect(calls.filter((c) => c.includes("S-1-5-19") && !c.includes("/remove"))).toEqual([
      `icacls ${join(root, "data")} /grant *S-1-5-19:(OI)(CI)M`,
      `icacls ${join(root, "logs")} /grant *S-1-5-19:(OI)(CI)M`,
    ]);
    expect(m.definitionPath.endsWith("anode-service.xml")).toBe(true);
    expect(await m.status()).toMatchObject({ installed: true, running: true });
  });

  it("moves an older install's data out of the config's folder into the data folder, and takes the config back", async () => {
    const wrapper = join(dir.path, "anode-service.exe");
    writeFileSync(wrapper, "");
    const root = join(dir.path, "ProgramData", "anode");
    mkdirSync(join(root, "db"), { recursive: true });
    mkdirSync(join(root, "logs"));
    writeFileSync(join(root, "node.key"), "k");
    writeFileSync(join(root, "config.json"), "{}");
    const { runner, calls } = recordingRunner();
    const m = selectServiceManager(winHost(runner), {
      scope: "system",
      command: ["C:\\Program Files\\anode\\anode.exe"],
      winsw: wrapper,
    });
    await m.install();
    expect(readdirSync(root).sort()).toEqual(["config.json", "data", "logs"]);
    expect(readdirSync(join(root, "data")).sort()).toEqual(["db", "node.key"]);
    const config = join(root, "config.json");
    expect(calls).toContain(`icacls ${config} /setowner *S-1-5-32-544`);
    expect(calls).toContain(`icacls ${config} /reset`);
  });

  it("refuses a data directory that holds the config file", async () => {
    const wrapper = join(dir.path, "anode-service.exe");
    writeFileSync(wrapper, "");
    const { runner, calls } = recordingRunner();
    const host = { ...winHost(runner), systemDataDir: join(dir.path, "ProgramData") };
    const m = selectServiceManager(host, {
      scope: "system",
      command: ["C:\\Program Files\\anode\\anode.exe"],
      winsw: wrapper,
    });
    const err = await m.install().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_UNSUPPORTED")).toBe(true);
    expect((err as Error).message).toMatch(
      /^Cannot install the service: its data directory .* holds its config/,
    );
    expect(calls).toEqual([]);
  });

  it("winswGrants() grants LocalService (S-1-5-19) Modify on the data and log folders only, with real Windows paths", () => {
    const grants = winswGrants({
      root: "C:\\ProgramData\\anode",
      configFile: "C:\\ProgramData\\anode\\config.json",
      dataDir: "C:\\ProgramData\\anode\\data",
      logDir: "C:\\ProgramData\\anode\\logs",
      configExists: false,
    }).map((g) => g.args.join(" "));
    expect(grants).toEqual([
      "C:\\ProgramData\\anode /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX",
      "C:\\ProgramData\\anode /remove:g *S-1-5-19",
      "C:\\ProgramData\\anode\\data /grant *S-1-5-19:(OI)(CI)M",
      "C:\\ProgramData\\anode\\logs /grant *S-1-5-19:(OI)(CI)M",
    ]);
  });

  it("says where the missing WinSW wrapper should be", async () => {
    const { runner } = recordingRunner();
    const m = selectServiceManager(winHost(runner), {
      scope: "system",
      command: [join(dir.path, "anode.exe")],
    });
    const err = await m.install().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_UNSUPPORTED")).toBe(true);
    expect((err as Error).message).toContain("WinSW service wrapper is not at");
    expect(existsSync(join(dir.path, "anode-service.xml"))).toBe(false);
  });

  it("--user registers a logon task with schtasks", async () => {
    const { runner, calls } = recordingRunner({
      "schtasks.exe /Query": { stdout: "TaskName: \\anode\nStatus:   Running\n" },
    });
    const m = selectServiceManager(winHost(runner), {
      scope: "user",
      command: ["C:\\Program Files\\anode\\anode.exe"],
    });
    await m.install();
    expect(calls[0]).toBe(
      'schtasks.exe /Create /TN \\anode /SC ONLOGON /RL LIMITED /TR "C:\\Program Files\\anode\\anode.exe" start /F',
    );
    expect(await m.status()).toEqual({ installed: true, running: true, state: "Running" });
  });

  it("parseWinswStatus() reads WinSW 1.x and 2.x answers", () => {
    expect(parseWinswStatus("Started")).toMatchObject({ installed: true, running: true });
    expect(parseWinswStatus("Stopped")).toMatchObject({ installed: true, running: false });
    expect(parseWinswStatus("Active (running)")).toMatchObject({ running: true });
    expect(parseWinswStatus("NonExistent")).toMatchObject({ installed: false });
  });
});

describe("other platforms", () => {
  it("have no service manager", () => {
    const { runner } = recordingRunner();
    expect(() =>
      selectServiceManager(
        { platform: "aix", env: {}, home: "/", uid: 0, runner },
        { scope: "system", command: ["/a"] },
      ),
    ).toThrow(/^Cannot manage a service on aix/);
  });
});
