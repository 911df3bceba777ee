import { afterAll, beforeAll } from "vitest";
import type { AnodeNode } from "../../src/node";
import { tempDir } from "./tempDir";
import { startTestNode, type TestNodeOverrides } from "./testNode";

export interface CliNode {
  node: AnodeNode;
  dataDir: string;
  /** The global flags that point the CLI at this node: `--data-dir <dir> --api-port <port>`. */
  flags: string[];
}

/**
 * An in-process node in a temp dir for the tests of one file: started in beforeAll,
 * closed and removed in afterAll. The getter throws outside a test.
 */
export function useCliNode(o: TestNodeOverrides = {}): () => CliNode {
  let current: CliNode | undefined;
  let dir: { path: string; remove(): void } | undefined;
  beforeAll(async () => {
    dir = tempDir("anode-cli-");
    const node = await startTestNode(dir.path, o);
    current = {
      node,
      dataDir: dir.path,
      flags: ["--data-dir", dir.path, "--api-port", String(node.options.api.port)],
    };
  });
  afterAll(async () => {
    await current?.node.close();
    current = undefined;
    dir?.remove();
    dir = undefined;
  });
  return () => {
    if (current === undefined) throw new Error("useCliNode() is only available inside a test");
    return current;
  };
}
