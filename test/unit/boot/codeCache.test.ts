import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { codeCache } from "../../../src/boot/codeCache";
import { tempDir } from "../../support/tempDir";

// Internal to boot (the entry point uses it); tested directly for its file handling.
const dir = tempDir("anode-codecache-");
afterEach(() => dir.remove());

describe("codeCache()", () => {
  it("keys the cache by content: other bytes never see it", () => {
    codeCache(dir.path, new Uint8Array([1])).write(Buffer.from("data-1"));
    expect(
      codeCache(dir.path, new Uint8Array([1]))
        .read()
        ?.toString(),
    ).toBe("data-1");
    expect(codeCache(dir.path, new Uint8Array([2])).read()).toBeUndefined();
  });

  it("keeps only the newest few files", () => {
    for (let i = 0; i < 7; i++)
      codeCache(dir.path, new Uint8Array([i])).write(Buffer.from(`d${i}`));
    expect(readdirSync(join(dir.path, "code"))).toHaveLength(4);
  });

  it("does nothing without a directory", () => {
    const cache = codeCache(undefined, new Uint8Array([1]));
    cache.write(Buffer.from("x"));
    expect(cache.read()).toBeUndefined();
  });
});
