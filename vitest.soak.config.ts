import { defineConfig } from "vitest/config";
import bench from "./vitest.bench.config";

// Soak and scale runs: minutes each, every core busy. Outside CI and outside `npm run bench`.
// The bench config's other settings, with only these files (a merge would add the benches).
export default defineConfig({
  ...bench,
  test: { ...bench.test, include: ["test/soak/**/*.soak.test.ts"], testTimeout: 3_600_000 },
});
