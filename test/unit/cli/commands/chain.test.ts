import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nullLogger } from "../../../../src/logging";
import { AnodeNode } from "../../../../src/node";
import { loadOrCreateIdentity } from "../../../../src/p2p";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";
import { tempDir } from "../../../support/tempDir";
import { testOptions } from "../../../support/testNode";
import { waitUntil } from "../../../support/waitUntil";

interface ChainStatus {
  chainId: string;
  self: string;
  validator: boolean;
  height: number;
  committedHeight: number;
  lastCommit?: { height: number };
  validators: Array<{ id: string; power: number; lastSeen: number | null }>;
}

describe("anode chain status on a one-validator chain", () => {
  let dir: { path: string; remove(): void };
  let node: AnodeNode;
  let flags: string[];
  let selfId: string;

  beforeAll(async () => {
    dir = tempDir("anode-chain-cli-");
    const identity = loadOrCreateIdentity(dir.path);
    selfId = identity.id;
    const base = await testOptions(dir.path);
    node = await AnodeNode.create(
      {
        ...base,
        consensus: {
          ...base.consensus,
          proposeTimeoutMs: 500,
          voteTimeoutMs: 200,
          timeoutDeltaMs: 100,
          emptyBlockIntervalMs: 50,
          chains: [
            {
              chainId: "solo",
              validators: [
                {
                  id: identity.id,
                  publicKey: Buffer.from(identity.publicKey).toString("base64"),
                  power: 1,
                },
              ],
            },
          ],
        },
      },
      { log: nullLogger },
    );
    flags = ["--data-dir", dir.path, "--api-port", String(node.options.api.port)];
  });

  afterAll(async () => {
    await node?.close();
    dir?.remove();
  });

  const json = async (): Promise<ChainStatus> => {
    const r = await cli([...flags, "--json", "chain", "status"]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ChainStatus;
  };

  it("--json reports this node as the validator and a committed height that grows", async () => {
    let s = await json();
    expect(s).toMatchObject({ chainId: "solo", self: selfId, validator: true });
    expect(s.validators).toEqual([expect.objectContaining({ id: selfId, power: 1 })]);
    await waitUntil(() => s.committedHeight >= 2, "the lone validator to commit two blocks", {
      timeoutMs: 10_000,
      everyMs: 50,
      between: async () => {
        s = await json();
      },
    });
    expect(s.lastCommit?.height).toBeGreaterThanOrEqual(1);
  });

  it("prints the chain, role, last commit and marks this node among the validators", async () => {
    const r = await cli([...flags, "chain", "status"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^solo {2}validator {2}height \d+ {2}round \d+ {2}step \S+$/m);
    expect(r.stdout).toMatch(/^committed {3}\d+$/m);
    expect(r.stdout).toMatch(/^proposer {4}\S+$/m);
    expect(r.stdout).toMatch(/^last commit height \d+, [\d.]+s ago$/m);
    expect(r.stdout).toContain(`  ${selfId}  power 1  `);
    expect(r.stdout).toMatch(/ \(this node\)$/m);
  });
});

describe("anode chain status on a node without a chain", () => {
  const n = useCliNode();

  it("fails as not found, saying the node follows no chain", async () => {
    const r = await cli([...n().flags, "chain", "status"]);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("this node follows no chain");
  });
});
