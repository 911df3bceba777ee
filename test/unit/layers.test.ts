import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import {
  BINARY_LAYER_FOLDERS,
  BINARY_LAYER_PACKAGES,
  binaryLayerFiles,
  HOST_MODULE_FOLDERS,
  // @ts-expect-error: a build script in plain JavaScript, without type declarations
} from "../../build/lib/layers.mjs";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { hostModulesPlugin } from "../../build/lib/plugins.mjs";

const root = resolve(import.meta.dirname, "../..");
const folders = BINARY_LAYER_FOLDERS as string[];
const inBinaryLayer = (file: string) => folders.some((f) => file === f || file.startsWith(`${f}/`));

/**
 * Every module specifier in a TypeScript file: static imports and re-exports, type-only
 * ones included (a type import of app code still ties the binary to the app's shape),
 * side-effect imports, dynamic `import()` (also `typeof import()`), and `require()`.
 * Comments are blanked first so a specifier quoted in a comment does not count.
 */
function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const patterns = [
    /\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1] as string));
}

/** The repository-relative file a relative specifier names, the way esbuild would find it. */
function resolveRelative(from: string, spec: string): string {
  const base = resolve(root, dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return relative(root, candidate).split(sep).join("/");
    } catch {
      // Not this one: try the next way a specifier names a file.
    }
  }
  return relative(root, base).split(sep).join("/");
}

/** "file: import 'spec' (resolves to X)" for every import that leaves the binary layer. */
function escapes(): string[] {
  const builtins = new Set(builtinModules);
  const packages = BINARY_LAYER_PACKAGES as string[];
  const out: string[] = [];
  for (const file of (binaryLayerFiles() as string[]).filter((f) => f.endsWith(".ts"))) {
    for (const spec of specifiers(readFileSync(join(root, file), "utf8"))) {
      if (spec.startsWith("node:") || builtins.has(spec)) continue;
      if (!spec.startsWith(".")) {
        if (!packages.includes(spec)) out.push(`${file}: import "${spec}" (a package)`);
        continue;
      }
      const target = resolveRelative(file, spec);
      if (!inBinaryLayer(target)) out.push(`${file}: import "${spec}" (resolves to ${target})`);
    }
  }
  return out;
}

describe("the binary layer", () => {
  it("imports nothing outside its folders but node built-ins and its own packages", () => {
    expect(escapes()).toEqual([]);
  });

  it("sees every kind of import, so the check above cannot pass by missing one", () => {
    const found = specifiers(`
      import { a } from "../a";
      import type { B } from "../b";
      export { c } from "../c";
      export * from "../d";
      import "../e";
      const f = await import("../f");
      type G = typeof import("../g");
      const h = require("../h");
      import {
        i,
      } from "../i";
      // import { j } from "../j";
    `);
    expect(found.sort()).toEqual(
      ["../a", "../b", "../c", "../d", "../e", "../f", "../g", "../h", "../i"].sort(),
    );
  });

  it("lists folders that exist", () => {
    for (const f of folders) expect(statSync(join(root, f)).isDirectory(), f).toBe(true);
    expect(readdirSync(join(root, "src/verify")).length).toBeGreaterThan(0);
  });
});

describe("the app bundle", () => {
  it("carries no copy of binary-layer code it gets from the host", async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ["src/app/main.ts"],
      bundle: true,
      platform: "node",
      format: "cjs",
      write: false,
      metafile: true,
      outfile: "app.cjs",
      logLevel: "silent",
      external: ["bufferutil", "utf-8-validate", "msgpackr-extract"],
      define: { __ANODE_VERSION__: '"0.0.0"', __ANODE_BINARY_LAYER__: '"test"' },
      plugins: [hostModulesPlugin()],
    });
    const hostFolders = Object.keys(HOST_MODULE_FOLDERS as Record<string, string>);
    const copies = Object.keys(result.metafile.inputs).filter((input) =>
      hostFolders.some((f) => input.startsWith(`${f}/`)),
    );
    expect(copies).toEqual([]);
    const hostIds = Object.values(HOST_MODULE_FOLDERS as Record<string, string>);
    const imported = new Set(
      Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((imp) => imp.path)),
    );
    for (const id of hostIds) expect(imported.has(id), id).toBe(true);
  });
});
