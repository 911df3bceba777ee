import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { readPinnedWinsw, WINSW, winswPath } from "../../../build/lib/winsw.mjs";
import { useTempDir } from "../../support/useTempDir";

describe("the pinned WinSW", () => {
  const dir = useTempDir();

  it("is the official 2.x release, pinned by version and SHA-256", () => {
    expect(WINSW.version).toMatch(/^2\.\d+\.\d+$/);
    expect(WINSW.url).toBe(
      `https://github.com/winsw/winsw/releases/download/v${WINSW.version}/WinSW-x64.exe`,
    );
    expect(WINSW.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is looked for in the build cache unless ANODE_WINSW_EXE names a file", () => {
    expect(winswPath({ ANODE_WINSW_EXE: "/x/w.exe" })).toBe("/x/w.exe");
    expect(winswPath({})).toMatch(new RegExp(`winsw/WinSW-x64-${WINSW.version}\\.exe$`));
  });

  it("accepts only bytes with the pinned hash, and says how to get them", () => {
    const file = join(dir(), "w.exe");
    writeFileSync(file, "not winsw");
    const pin = { ...WINSW, sha256: createHash("sha256").update("not winsw").digest("hex") };
    expect(Buffer.from(readPinnedWinsw(file, pin)).toString()).toBe("not winsw");
    expect(() => readPinnedWinsw(file)).toThrow(/has sha256 [0-9a-f]{64}, WinSW 2\.\d+\.\d+ has/);
    expect(() => readPinnedWinsw(join(dir(), "absent.exe"))).toThrow(/npm run release:winsw/);
  });
});
