import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasCode } from "../../../src/errors";
import { type ServiceHost, selectServiceManager } from "../../../src/service";
import { tempDir } from "../../support/tempDir";
import { recordingRunner } from "./recordingRunner";

describe("systemd service manager", () => {
  let root: ReturnType<typeof tempDir>;
  beforeEach(() => {
    root = tempDir("anode-systemd-");
  });
  afterEach(() => root.remove());

  const host = (runner: ServiceHost["runner"], booted = true): ServiceHost => {
    if (booted) mkdirSync(join(root.path, "run/systemd/system"), { recursive: true });
    return {
      platform: "linux",
      env: {},
      home: join(root.path, "home/ada"),
      uid: 1000,
      runner,
      root: root.path,
    };
  };
  const command = ["/usr/bin/anode"];

  it("install writes the unit and sysusers line, creates the account, reloads and enables", async () => {
    const { runner, calls } = recordingRunner();
    const m = selectServiceManager(host(runner), { scope: "system", command });
    await m.install();
    const unit = join(root.path, "etc/systemd/system/anode.service");
    expect(m.definitionPath).toBe(unit);
    expect(readFileSync(unit, "utf8")).toContain("ExecStart=/usr/bin/anode start --system");
    const conf = join(root.path, "etc/sysusers.d/anode.conf");
    expect(readFileSync(conf, "utf8")).toContain('u anode - "anode node" /var/lib/anode');
    expect(calls).toEqual([
      `systemd-sysusers ${conf}`,
      "systemctl daemon-reload",
      "systemctl enable anode.service",
    ]);
  });

  it("--user writes under ~/.config/systemd/user and passes --user to systemctl", async () => {
    const { runner, calls } = recordingRunner();
    const m = selectServiceManager(host(runner), { scope: "user", command });
    await m.install();
    await m.start();
    await m.stop();
    expect(m.definitionPath).toBe(join(root.path, "home/ada/.config/systemd/user/anode.service"));
    expect(readFileSync(m.definitionPath, "utf8")).toContain("ExecStart=/usr/bin/anode start\n");
    expect(calls).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable anode.service",
      "systemctl --user start anode.service",
      "systemctl --user stop anode.service",
    ]);
  });

  it("status reads ActiveState, SubState and MainPID", async () => {
    const { runner } = recordingRunner({
      "systemctl show": { stdout: "MainPID=4242\nActiveState=active\nSubState=running\n" },
    });
    const m = selectServiceManager(host(runner), { scope: "system", command });
    expect(await m.status()).toMatchObject({ installed: false });
    await m.install();
    expect(await m.status()).toEqual({
      installed: true,
      running: true,
      state: "active (running)",
      pid: 4242,
    });
  });

  it("uninstall disables and stops, removes the unit and reloads", async () => {
    const { runner, calls } = recordingRunner();
    const m = selectServiceManager(host(runner), { scope: "system", command });
    await m.install();
    calls.length = 0;
    await m.uninstall();
    expect(existsSync(m.definitionPath)).toBe(false);
    expect(calls).toEqual(["systemctl disable --now anode.service", "systemctl daemon-reload"]);
  });

  it("says systemd is absent (no /run/systemd/system) instead of calling systemctl", async () => {
    const { runner, calls } = recordingRunner();
    const m = selectServiceManager(host(runner, false), { scope: "system", command });
    const err = await m.install().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_MANAGER_ABSENT")).toBe(true);
    expect((err as Error).message).toMatch(/^Cannot install the service: systemd is not running/);
    expect(calls).toEqual([]);
  });

  it("start before install is SERVICE_NOT_INSTALLED", async () => {
    const { runner } = recordingRunner();
    const m = selectServiceManager(host(runner), { scope: "system", command });
    const err = await m.start().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_NOT_INSTALLED")).toBe(true);
  });

  it("a failing systemctl becomes SERVICE_COMMAND_FAILED naming the command", async () => {
    const { runner } = recordingRunner({
      "systemctl enable": { code: 1, stderr: "Failed to enable unit: Access denied" },
    });
    const m = selectServiceManager(host(runner), { scope: "system", command });
    const err = await m.install().catch((e: unknown) => e);
    expect(hasCode(err, "SERVICE_COMMAND_FAILED")).toBe(true);
    expect((err as Error).message).toBe(
      "Cannot enable the service: `systemctl enable anode.service` exited with 1: Failed to enable unit: Access denied",
    );
  });
});
