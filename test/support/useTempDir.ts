import { afterAll, beforeAll } from "vitest";
import { tempDir } from "./tempDir";

/**
 * A temp dir for the tests of the enclosing describe (or file): made in beforeAll, so
 * a file that is filtered out or fails to collect leaves nothing behind, and removed in
 * afterAll. The getter throws outside a test.
 */
export function useTempDir(prefix = "anode-"): () => string {
  let dir: { path: string; remove(): void } | undefined;
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterAll(() => {
    dir?.remove();
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error("useTempDir() is only available inside a test");
    return dir.path;
  };
}
