import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import * as unused from "../../../build/lib/unusedDependencies.mjs";
import { tempDir } from "../../support/tempDir";

const root = resolve(__dirname, "../../..");

interface Dep {
  importer: string;
  module: string;
  why: string;
  exports?: string[];
  commonjs?: boolean;
}

const deps = unused.UNUSED_DEPENDENCIES as Dep[];

/** conf and prom-client as the app bundle gets them, with the stubs in place. */
async function bundled(dir: string) {
  const outfile = join(dir, "deps.cjs");
  await build({
    absWorkingDir: root,
    stdin: {
      contents: [
        'export { configStore } from "./src/config/configStore";',
        'export { collectDefaultMetrics, Registry } from "prom-client";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile,
    logLevel: "warning",
    plugins: [unused.unusedDependenciesPlugin()],
  });
  return { text: readFileSync(outfile, "utf8"), mod: createRequire(outfile)(outfile) };
}

describe("dependencies left out of the app bundle", () => {
  it("are absent, and conf and prom-client still do what anode asks of them", async () => {
    const dir = tempDir("anode-unused-deps-");
    try {
      const { text, mod } = await bundled(dir.path);
      expect(text).not.toContain("node_modules/ajv/dist/core.js");
      expect(text).not.toContain("node_modules/semver/");
      expect(text).not.toContain("node_modules/@opentelemetry/api/");

      const file = join(dir.path, "config.json");
      const store = mod.configStore(file);
      store.set("api", { port: 7777 });
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ api: { port: 7777 } });
      expect(mod.configStore(file).get("api")).toEqual({ port: 7777 });

      const registry = new mod.Registry();
      mod.collectDefaultMetrics({ register: registry, prefix: "anode_" });
      const text2 = await registry.metrics();
      // The default metric whose module imports OpenTelemetry, collected without it.
      expect(text2).toMatch(/anode_process_cpu_user_seconds_total \d/);
    } finally {
      dir.remove();
    }
  });

  it("fail loudly, naming the package and why, if anything starts to use them", () => {
    for (const dep of deps) {
      const source: string = unused.stubSource(dep);
      const module = { exports: {} as Record<string, unknown> };
      const exported: Record<string, unknown> = {};
      const body = dep.commonjs
        ? source
        : source
            .replace(/^export default (.*);$/m, "exported.default = $1;")
            .replace(/^export const (\w+) = (.*);$/gm, "exported.$1 = $2;");
      new Function("module", "exported", body)(module, exported);
      const stubs = dep.commonjs ? [module.exports] : Object.values(exported);
      expect(stubs.length).toBeGreaterThan(0);
      for (const stub of stubs) {
        const pattern = new RegExp(
          `${dep.module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}.*left out`,
        );
        expect(() => (stub as Record<string, unknown>).anything).toThrow(pattern);
        expect(() => new (stub as new () => unknown)()).toThrow(pattern);
        expect(() => (stub as () => unknown)()).toThrow(pattern);
        expect((stub as { __esModule?: unknown }).__esModule).toBeUndefined();
      }
    }
  });
});
