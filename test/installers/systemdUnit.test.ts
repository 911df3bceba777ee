import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderSystemdUnit } from "../../src/service";
import { tempDir } from "../support/tempDir";
import { needs, run } from "./support/tools";

const analyze = needs(["systemd-analyze", "systemd"]);

describe("the systemd units", () => {
  const dir = tempDir("anode-unit-");
  afterAll(() => dir.remove());

  // verify checks that ExecStart names an executable, so each unit runs a stand-in.
  const standIn = join(dir.path, "anode");
  writeFileSync(standIn, "#!/bin/sh\nexit 0\n");
  chmodSync(standIn, 0o755);

  const units = {
    "the .deb's unit (installers/linux/anode.service)": readFileSync(
      "installers/linux/anode.service",
      "utf8",
    ).replaceAll("/usr/bin/anode", standIn),
    "the system unit `anode service install` writes": renderSystemdUnit({
      command: [standIn],
      scope: "system",
    }),
    "the --user unit": renderSystemdUnit({ command: [standIn], scope: "user" }),
  };

  for (const [name, text] of Object.entries(units)) {
    it.skipIf(analyze.skip)(`${name} passes systemd-analyze verify${analyze.why}`, () => {
      const file = join(dir.path, "anode.service");
      writeFileSync(file, text);
      const r = run("systemd-analyze", ["verify", file]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    });
  }

  it.skipIf(analyze.skip)(
    `the system unit's exposure (systemd-analyze security) is at most 2.0${analyze.why}`,
    () => {
      const file = join(dir.path, "anode.service");
      writeFileSync(file, units["the .deb's unit (installers/linux/anode.service)"]);
      const r = run("systemd-analyze", ["security", "--offline=yes", "--threshold=20", file]);
      expect(r.stdout).toMatch(/Overall exposure level for anode\.service: ([01]\.\d|2\.0)/);
      expect(r.code).toBe(0);
    },
  );

  it.skipIf(analyze.skip)(
    `a unit with a typo fails verify (the check is real)${analyze.why}`,
    () => {
      const file = join(dir.path, "anode.service");
      writeFileSync(
        file,
        units["the --user unit"].replace("Restart=on-failure", "Restart=sometimes"),
      );
      const r = run("systemd-analyze", ["verify", file]);
      expect(r.stderr).toMatch(/Failed to parse service restart specifier/);
    },
  );
});
