import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderLaunchdPlist } from "../../src/service";
import { tempDir } from "../support/tempDir";
import { needs, run } from "./support/tools";

const xmllint = needs(["xmllint", "libxml2-utils"]);
// Resolves the plist DOCTYPE's public id to a local DTD: no network, and the DOCTYPE the
// file declares is the one it is checked against (see fixtures/plist-1.0.dtd).
const catalog = { XML_CATALOG_FILES: resolve("test/installers/fixtures/plist-catalog.xml") };

function validate(file: string) {
  return run("xmllint", ["--noout", "--nonet", "--valid", file], catalog);
}

describe("the launchd plists", () => {
  const dir = tempDir("anode-plist-");
  afterAll(() => dir.remove());

  const plists: Record<string, string> = {
    "installers/macos/org.anode.node.plist": readFileSync(
      "installers/macos/org.anode.node.plist",
      "utf8",
    ),
    "installers/macos/org.anode.node.agent.plist": readFileSync(
      "installers/macos/org.anode.node.agent.plist",
      "utf8",
    ),
    "a user agent with a log file and odd characters in paths": renderLaunchdPlist({
      command: ["/Users/a&b/bin/anode <dev>"],
      scope: "user",
      logFile: "/Users/a&b/Library/Logs/anode/anode.log",
    }),
  };

  for (const [name, text] of Object.entries(plists)) {
    it.skipIf(xmllint.skip)(`${name} is valid against the plist DTD${xmllint.why}`, () => {
      const file = join(dir.path, "job.plist");
      writeFileSync(file, text);
      const r = validate(file);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    });
  }

  it.skipIf(xmllint.skip)(`a dict with two keys in a row is rejected${xmllint.why}`, () => {
    const file = join(dir.path, "bad.plist");
    writeFileSync(
      file,
      plists["installers/macos/org.anode.node.plist"]?.replace(
        "<key>RunAtLoad</key>",
        "<key>RunAtLoad</key><key>Oops</key>",
      ) ?? "",
    );
    const r = validate(file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/does not follow the DTD/);
  });
});
