import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureToken, TOKEN_FILE, tokenMatches, tokenPath } from "../../../src/api";
import { tempDir } from "../../support/tempDir";

let dir: { path: string; remove(): void };
beforeEach(() => {
  dir = tempDir("anode-token-");
});
afterEach(() => dir.remove());

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("ensureToken()", () => {
  it("creates a 64-hex-digit token in a 0600 file on first use", async () => {
    const token = await ensureToken(dir.path);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir.path, TOKEN_FILE);
    expect(tokenPath(dir.path)).toBe(file);
    expect(readFileSync(file, "utf8")).toBe(`${token}\n`);
    if (process.platform !== "win32") expect(modeOf(file)).toBe(0o600);
  });

  it("reuses the token already in the file", async () => {
    const first = await ensureToken(dir.path);
    await expect(ensureToken(dir.path)).resolves.toBe(first);
  });

  it.skipIf(process.platform === "win32")(
    "tightens a 0644 token file to 0600 and keeps its token",
    async () => {
      const file = tokenPath(dir.path);
      const token = "b".repeat(40);
      writeFileSync(file, `  ${token}\n`, { mode: 0o644 });
      expect(modeOf(file)).toBe(0o644);
      await expect(ensureToken(dir.path)).resolves.toBe(token);
      expect(modeOf(file)).toBe(0o600);
    },
  );

  it("replaces a token too short to be safe", async () => {
    const file = tokenPath(dir.path);
    writeFileSync(file, "short\n", { mode: 0o600 });
    const token = await ensureToken(dir.path);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, "utf8")).toBe(`${token}\n`);
  });

  it("fails, rather than writing a new token, when the token file cannot be read", async () => {
    // A directory where the file should be: reading fails with EISDIR, not ENOENT.
    mkdirSync(tokenPath(dir.path));
    await expect(ensureToken(dir.path)).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("fails when the data directory does not exist", async () => {
    await expect(ensureToken(join(dir.path, "no-such-dir"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });
});

describe("tokenMatches()", () => {
  const token = "c".repeat(64);

  it("accepts exactly the token", () => {
    expect(tokenMatches(token, token)).toBe(true);
  });

  it("refuses a missing, shorter, longer or different token", () => {
    expect(tokenMatches(undefined, token)).toBe(false);
    expect(tokenMatches("", token)).toBe(false);
    expect(tokenMatches(token.slice(1), token)).toBe(false);
    expect(tokenMatches(`${token}c`, token)).toBe(false);
    expect(tokenMatches(`d${token.slice(1)}`, token)).toBe(false);
  });
});
