import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { optionsValidatorPlugin } from "../../../build/lib/optionsValidator.mjs";
import { compileOptionsValidator } from "../../../src/config/compileOptionsValidator";
import { tempDir } from "../../support/tempDir";

const root = resolve(__dirname, "../../..");

/** What the app bundle gets: the validator ajv generated at build time. */
async function builtValidator(): Promise<(value: unknown) => boolean> {
  const dir = tempDir("anode-validator-test-");
  const outfile = join(dir.path, "v.cjs");
  try {
    await build({
      absWorkingDir: root,
      stdin: {
        contents: 'export { compileOptionsValidator } from "./src/config/compileOptionsValidator";',
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile,
      logLevel: "warning",
      plugins: [optionsValidatorPlugin(root)],
    });
    const text = (await import("node:fs")).readFileSync(outfile, "utf8");
    expect(text).not.toContain("compileSchema");
    return createRequire(outfile)(outfile).compileOptionsValidator();
  } finally {
    dir.remove();
  }
}

const samples: unknown[] = [
  {},
  { api: { port: 7700 } },
  { api: { port: "x" }, bogus: 1 },
  { p2p: { listen: "nope", peers: [{ address: "127.0.0.1:1" }] } },
  { p2p: { listen: "127.0.0.1:7711", peers: [{ address: 5 }] } },
  { logLevel: "loud" },
  { consensus: { proposeTimeoutMs: -1, chains: [{ chainId: "c", validators: [] }] } },
  { upgrade: { policy: "sometimes" } },
  [],
  null,
];

describe("the options validator compiled at build time", () => {
  it("judges every sample as ajv's run-time compile does, with the same errors", async () => {
    const built = (await builtValidator()) as ((v: unknown) => boolean) & { errors?: unknown };
    const compiled = compileOptionsValidator();
    for (const sample of samples) {
      const ok = compiled(sample);
      expect(built(sample), JSON.stringify(sample)).toBe(ok);
      expect(built.errors ?? null, JSON.stringify(sample)).toEqual(compiled.errors ?? null);
    }
    // Not every sample passes: the comparison covers refusals too.
    expect(samples.filter((s) => !compiled(s)).length).toBeGreaterThan(5);
  }, 60_000);
});
