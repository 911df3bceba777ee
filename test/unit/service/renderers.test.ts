import { describe, expect, it } from "vitest";
import {
  BINARY_SWAP_ENV,
  RESTART_EXIT_CODE,
  renderLaunchdPlist,
  renderSystemdUnit,
  renderWinswXml,
  serviceArgs,
} from "../../../src/service";
import { BINARY_SWAP_ENV as NODE_BINARY_SWAP_ENV } from "../../../src/upgrade";

describe("serviceArgs()", () => {
  it("adds --system for a system service only", () => {
    expect(serviceArgs({ command: ["/usr/bin/anode"], scope: "system" })).toEqual([
      "/usr/bin/anode",
      "start",
      "--system",
    ]);
    expect(serviceArgs({ command: ["/n/node", "/a/anode.cjs"], scope: "user" })).toEqual([
      "/n/node",
      "/a/anode.cjs",
      "start",
    ]);
  });
});

describe("renderSystemdUnit()", () => {
  const system = renderSystemdUnit({ command: ["/usr/bin/anode"], scope: "system" });
  const user = renderSystemdUnit({ command: ["/home/a b/anode"], scope: "user" });

  it("runs the system node as the anode account with the system paths", () => {
    expect(system).toContain("ExecStart=/usr/bin/anode start --system\n");
    expect(system).toContain("User=anode\n");
    expect(system).toContain("ReadWritePaths=/var/lib/anode\n");
    // Root's pre-start step, not the node, swaps in a binary release the node staged.
    expect(system).toContain("ExecStartPre=+-/usr/bin/anode service apply-binary --system\n");
    expect(system).toContain(`Environment=${BINARY_SWAP_ENV}=privileged\n`);
    const deb = renderSystemdUnit({
      command: ["/usr/bin/anode"],
      scope: "system",
      binarySwap: false,
    });
    expect(deb).not.toContain("ExecStartPre");
    expect(user).not.toContain("ExecStartPre");
    expect(BINARY_SWAP_ENV).toBe(NODE_BINARY_SWAP_ENV);
    expect(system).toContain("WantedBy=multi-user.target\n");
  });

  it("is hardened", () => {
    for (const line of [
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
    ])
      expect(system).toContain(`\n${line}\n`);
    // V8's JIT needs W+X pages: this one must stay off.
    expect(system).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it(`restarts on failure and always on the restart-me code ${RESTART_EXIT_CODE}`, () => {
    for (const unit of [system, user]) {
      expect(unit).toContain("Restart=on-failure\n");
      expect(unit).toContain(`RestartForceExitStatus=${RESTART_EXIT_CODE}\n`);
      expect(unit).toContain(`SuccessExitStatus=${RESTART_EXIT_CODE}\n`);
    }
  });

  it("quotes a path with a space and runs the user's node without --system", () => {
    expect(user).toContain('ExecStart="/home/a b/anode" start\n');
    expect(user).not.toContain("User=");
    expect(user).toContain("WantedBy=default.target\n");
  });
});

describe("renderLaunchdPlist()", () => {
  it("runs the daemon as _anode with --system, kept alive on unsuccessful exits", () => {
    const plist = renderLaunchdPlist({ command: ["/usr/local/bin/anode"], scope: "system" });
    expect(plist).toContain(
      "<array>\n    <string>/usr/local/bin/anode</string>\n    <string>start</string>\n    <string>--system</string>\n  </array>",
    );
    expect(plist).toContain("<key>UserName</key>\n  <string>_anode</string>");
    expect(plist).toContain(
      "<key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>",
    );
    expect(plist).toContain("<string>/Library/Logs/anode/anode.log</string>");
  });

  it("runs the agent as the user, escaping XML in paths", () => {
    const plist = renderLaunchdPlist({
      command: ["/Users/a&b/anode"],
      scope: "user",
      logFile: "/Users/a&b/Library/Logs/anode/anode.log",
    });
    expect(plist).toContain("<string>/Users/a&amp;b/anode</string>");
    expect(plist).not.toContain("UserName");
    expect(plist).not.toContain("--system");
  });
});

describe("renderWinswXml()", () => {
  const xml = renderWinswXml({ command: ["C:\\Program Files\\anode\\anode.exe"], scope: "system" });

  it("runs anode start --system as LocalService, started at boot", () => {
    expect(xml).toContain("<executable>C:\\Program Files\\anode\\anode.exe</executable>");
    expect(xml).toContain("<arguments>start --system</arguments>");
    expect(xml).toContain("<startmode>Automatic</startmode>");
    expect(xml).toContain("<user>LocalService</user>");
  });

  it("restarts on every failure, resetting the count after an hour", () => {
    expect(xml.match(/<onfailure action="restart"/g)).toHaveLength(3);
    expect(xml).toContain("<resetfailure>1 hour</resetfailure>");
  });
});
