// Dependencies of our dependencies that anode never reaches: left out of the app bundle,
// since every command compiles the whole bundle (one script, no code splitting in
// CommonJS) and these were a fifth of it. Each is replaced by a stub that throws, naming
// the package and why it was left out, so a change that starts to need one fails loudly
// at its first use instead of misbehaving.

/**
 * importer: the package whose import is stubbed (only its imports; the same module
 * imported by anyone else is bundled as usual). why: what anode does not use.
 */
export const UNUSED_DEPENDENCIES = [
  {
    importer: "conf",
    module: "ajv/dist/2020.js",
    why: "anode hands conf no schema (src/config/configStore.ts); options are validated by validateOptions",
    exports: ["Ajv2020"],
  },
  {
    importer: "conf",
    module: "ajv-formats",
    why: "anode hands conf no schema (src/config/configStore.ts)",
    exports: ["default"],
  },
  {
    importer: "conf",
    module: "semver",
    why: "anode hands conf no projectVersion or migrations",
    exports: ["default"],
  },
  {
    importer: "prom-client",
    module: "@opentelemetry/api",
    why: "anode enables no exemplars on its metrics (src/api)",
    commonjs: true,
  },
];

const NAMESPACE = "anode-unused";

/** The stub's source: every use throws; the module itself loads without a sound. */
export function stubSource(dep) {
  const message = JSON.stringify(
    `${dep.module} (imported by ${dep.importer}) is left out of the anode app bundle: ${dep.why}. If anode now needs it, remove it from build/lib/unusedDependencies.mjs.`,
  );
  const thrower = `new Proxy(function unused() {}, { get(_t, key) { if (key === "__esModule") return undefined; throw new Error(${message}); }, apply() { throw new Error(${message}); }, construct() { throw new Error(${message}); } })`;
  if (dep.commonjs) return `module.exports = ${thrower};`;
  return dep.exports
    .map((name) =>
      name === "default" ? `export default ${thrower};` : `export const ${name} = ${thrower};`,
    )
    .join("\n");
}

export function unusedDependenciesPlugin() {
  return {
    name: "anode-unused-dependencies",
    setup(b) {
      for (const [i, dep] of UNUSED_DEPENDENCIES.entries()) {
        const filter = new RegExp(`^${dep.module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
        b.onResolve({ filter }, (args) =>
          args.importer.includes(`/node_modules/${dep.importer}/`)
            ? { path: String(i), namespace: NAMESPACE }
            : undefined,
        );
      }
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const dep = UNUSED_DEPENDENCIES[Number(args.path)];
        return { contents: stubSource(dep), loader: "js" };
      });
    },
  };
}
