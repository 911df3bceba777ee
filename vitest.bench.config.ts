import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { binaryLayerDigest } from "./build/lib/layers.mjs";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  define: {
    __ANODE_VERSION__: JSON.stringify(pkg.version),
    __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest()),
  },
  test: {
    include: ["test/bench/**/*.bench.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
