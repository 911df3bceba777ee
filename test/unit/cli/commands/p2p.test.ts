import { describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";

const n = useCliNode();
const NODE_ID = /^[0-9a-f]{40}$/;

describe("anode id", () => {
  it("prints the node id, the same on every run, and --json adds the key and data dir", async () => {
    const text = await cli([...n().flags, "id"]);
    expect(text.code, text.stderr).toBe(0);
    const id = text.stdout.trim();
    expect(id).toMatch(NODE_ID);
    const json = await cli([...n().flags, "--json", "id"]);
    expect(JSON.parse(json.stdout)).toEqual({
      id,
      publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      dataDir: n().dataDir,
    });
    const peers = await cli([...n().flags, "--json", "peers"]);
    expect(JSON.parse(peers.stdout)).toMatchObject({ nodeId: id });
  });
});

describe("anode peers", () => {
  it("says where the node listens and that it has no peers", async () => {
    const r = await cli([...n().flags, "peers"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^node [0-9a-f]{40} listening on ${n().node.options.p2p.listen}, 0 peer\\(s\\)\\n$`,
      ),
    );
  });

  it("--json prints the node id, address, peers and stats", async () => {
    const r = await cli([...n().flags, "--json", "peers"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      nodeId: expect.stringMatching(NODE_ID),
      listen: n().node.options.p2p.listen,
      peers: [],
    });
  });

  it("--ping with a malformed id exits 2 with the node's reason", async () => {
    const r = await cli([...n().flags, "peers", "--ping", "nope"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe('anode: Cannot serve request: "peer" must be a node id\n');
  });
});
