import { describe, expect, it } from "vitest";
import { type ServiceScope, unreachableCommand } from "../../../src/service";

type Case = [
  platform: NodeJS.Platform,
  scope: ServiceScope,
  command: string[],
  reasons: string[],
  tempDirs?: string[],
];

describe("unreachableCommand()", () => {
  it.each<Case>([
    // The issue's case: `anode service install` from a source checkout under /tmp.
    [
      "linux",
      "system",
      ["/usr/bin/node", "/tmp/co/dist/anode.cjs"],
      ["interpreter-script", "hidden-by-unit"],
    ],
    ["linux", "system", ["/usr/bin/node", "/srv/anode/dist/anode.cjs"], ["interpreter-script"]],
    ["linux", "system", ["/home/me/bin/anode"], ["hidden-by-unit"]],
    ["linux", "system", ["/root/anode"], ["hidden-by-unit"]],
    ["linux", "system", ["/var/tmp/anode"], ["hidden-by-unit"]],
    ["linux", "system", ["/run/user/1000/anode"], ["hidden-by-unit"]],
    ["linux", "system", ["/usr/local/bin/anode"], []],
    ["linux", "system", ["/usr/bin/anode"], []],
    ["linux", "system", ["/tmpfoo/anode"], []],
    ["linux", "system", ["/home2/anode"], []],
    // A user unit has no sandbox: the home directory is fine, a temp directory is not.
    ["linux", "user", ["/home/me/bin/anode"], []],
    ["linux", "user", ["/tmp/anode"], ["temporary-directory"]],
    ["linux", "user", ["/home/me/t/anode"], ["temporary-directory"], ["/home/me/t"]],
    [
      "darwin",
      "system",
      ["/usr/local/bin/node", "/Users/me/anode/dist/anode.cjs"],
      ["interpreter-script"],
    ],
    ["darwin", "system", ["/usr/local/bin/anode"], []],
    ["darwin", "user", ["/Users/me/bin/anode"], []],
    ["darwin", "user", ["/private/var/folders/xy/T/anode"], ["temporary-directory"]],
    ["darwin", "system", ["/tmp/anode"], ["temporary-directory"]],
    [
      "win32",
      "system",
      ["C:\\Program Files\\nodejs\\node.exe", "C:\\src\\anode\\dist\\anode.cjs"],
      ["interpreter-script"],
    ],
    ["win32", "system", ["C:\\Program Files\\anode\\anode.exe"], []],
    ["win32", "system", ["c:\\windows\\temp\\anode.exe"], ["temporary-directory"]],
    [
      "win32",
      "user",
      ["C:\\Users\\me\\AppData\\Local\\Temp\\x\\anode.exe"],
      ["temporary-directory"],
      ["C:\\Users\\me\\AppData\\Local\\Temp"],
    ],
  ])("%s %s %j: %j", (platform, scope, command, reasons, tempDirs) => {
    const found = unreachableCommand(
      { command, scope },
      tempDirs === undefined ? { platform } : { platform, tempDirs },
    );
    expect(found.map((f) => f.reason)).toEqual(reasons);
  });

  it("names the unit setting that hides the path, and the interpreter and script", () => {
    const [script, hidden] = unreachableCommand(
      { command: ["/usr/bin/node", "/tmp/co/dist/anode.cjs"], scope: "system" },
      { platform: "linux" },
    );
    expect(script?.message).toBe(
      "the service would run the script /tmp/co/dist/anode.cjs with the interpreter /usr/bin/node: it depends on that source checkout and that Node staying in place, and a binary release cannot replace it",
    );
    expect(hidden?.message).toMatch(
      /^\/tmp\/co\/dist\/anode\.cjs is under \/tmp\/, which the unit's PrivateTmp=yes hides/,
    );
    const [home] = unreachableCommand(
      { command: ["/home/me/anode"], scope: "system" },
      { platform: "linux" },
    );
    expect(home?.message).toContain("ProtectHome=yes");
  });

  it("ignores relative temp directories from the environment", () => {
    expect(
      unreachableCommand(
        { command: ["/opt/a/anode"], scope: "user" },
        { platform: "linux", tempDirs: ["", "opt"] },
      ),
    ).toEqual([]);
  });
});
