import { defineConfig, mergeConfig } from "vitest/config";
import bench from "./vitest.bench.config";

// Soak and scale runs: minutes each, every core busy. Outside CI and outside `npm run bench`.
export default mergeConfig(
  bench,
  defineConfig({ test: { include: ["test/soak/**/*.soak.test.ts"], testTimeout: 3_600_000 } }),
);
