import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { binaryLayerDigest } from "./build/lib/layers.mjs";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  // The tree's own binary-layer digest, as `node build/bundle.mjs` stamps it into dist/.
  define: {
    __ANODE_VERSION__: JSON.stringify(pkg.version),
    __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest()),
  },
  test: {
    include: [
      "test/unit/**/*.test.ts",
      "test/integration/**/*.test.ts",
      "test/installers/**/*.test.ts",
      "test/e2e/**/*.test.ts",
      "test/sim/**/*.test.ts",
    ],
    globalSetup: ["test/globalSetup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
    },
  },
});
