import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { messageMap } from "../../../build/lib/messageMap.mjs";

const root = resolve(__dirname, "../../..");

describe("docs/message-map.md", () => {
  const map: string = messageMap(root);

  it("is what the sources say today (node build/message-map.mjs writes it)", () => {
    expect(readFileSync(join(root, "docs/message-map.md"), "utf8")).toBe(map);
  });

  it("follows messages from sender to handler, locally and between nodes", () => {
    const section = (engine: string) => map.split(`## ${engine}\n`)[1]?.split("\n## ")[0] ?? "";
    expect(section("mempool")).toContain("| `submit` | src/api (call) |");
    expect(section("mempool")).toContain("| `committed` | executor (cast) |");
    expect(section("executor")).toContain("| `execute` | ordering (cast) |");
    expect(section("upgrade")).toContain("| `chunk` | upgrade (call, remote) |");
    expect(section("upgrade")).toContain("| `activationDue` | consensus (cast) |");
    expect(section("consensus")).toContain("| `scheduleActivation` | upgrade (cast) |");
    expect(section("logger")).toMatch(/\| `append` \| mempool \(call\), ordering \(call\) \|/);
  });
});
