// esbuild plugins that draw the line between the binary (boot layer, runtime, native
// addon) and the replaceable app bundle.

import { dirname, join, resolve } from "node:path";
import { HOST_MODULE_FOLDERS } from "./layers.mjs";

const checkout = resolve(import.meta.dirname, "../..");

/**
 * For the app bundle: imports of src/runtime, src/errors and src/verify become the host's
 * shared modules (one runtime per process, so `instanceof` and the engine registry agree;
 * the binary's verifier, so no app release can carry a weaker one), and classic-level
 * becomes the host's LevelDB class, so the app never loads native code.
 */
export function hostModulesPlugin(root = checkout) {
  const src = join(root, "src");
  // Folders the host owns: the app bundle gets them through `require("anode:...")`.
  const HOST_FOLDERS = new Map(
    Object.entries(HOST_MODULE_FOLDERS).map(([folder, id]) => [join(root, folder), id]),
  );
  return {
    name: "anode-host-modules",
    setup(b) {
      b.onResolve({ filter: /^classic-level$/ }, () => ({
        path: "anode:classic-level",
        external: true,
      }));
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.startsWith(src)) return undefined;
        const target = resolve(args.resolveDir, args.path);
        const host = HOST_FOLDERS.get(target);
        if (host !== undefined) {
          return args.importer.startsWith(`${target}/`)
            ? undefined
            : { path: host, external: true };
        }
        for (const folder of HOST_FOLDERS.keys()) {
          if (target.startsWith(`${folder}/`) && !args.importer.startsWith(`${folder}/`)) {
            return {
              errors: [
                {
                  text: `${args.path}: import ${folder} through its index.ts, which the host provides`,
                },
              ],
            };
          }
        }
        return undefined;
      });
    },
  };
}

/**
 * For the binary's boot bundle: classic-level's JavaScript is bundled, and its
 * `./binding` (node-gyp-build looking on disk) is replaced by the addon embedded as a
 * SEA asset.
 */
export function seaLevelBindingPlugin() {
  const root = checkout;
  const src = join(root, "src");
  const classicLevel = join(root, "node_modules", "classic-level");
  return {
    name: "anode-sea-level-binding",
    setup(b) {
      b.onResolve({ filter: /^\.\/binding(\.js)?$/ }, (args) =>
        dirname(args.importer) === classicLevel
          ? { path: "sea-binding", namespace: "anode" }
          : undefined,
      );
      b.onLoad({ filter: /^sea-binding$/, namespace: "anode" }, () => ({
        contents: `module.exports = require(${JSON.stringify(join(src, "boot", "nativeAddon.ts"))}).loadNativeAddon("classic-level.node");`,
        resolveDir: root,
        loader: "js",
      }));
    },
  };
}
