import { describe, expect, it } from "vitest";
import {
  CLOSE_REASONS,
  DEFAULT_PEX_INTERVAL_MS,
  generateIdentity,
  MAX_PEX_RECORDS,
  type PexFrame,
} from "../../../src/p2p";
import { signAddressRecord } from "../../../src/p2p/addressRecord";
import { NETWORK } from "./helpers";
import { MemoryHarness } from "./memoryHarness";

/** A node with peer exchange on, and a hand-driven peer linked to it. */
async function pexNodeWithRawPeer() {
  const h = new MemoryHarness();
  const node = h.node("a", { pex: true });
  await node.node.start();
  const peer = h.rawPeer(node, "x");
  return { h, node, peer };
}

describe("peer exchange", () => {
  it("a node given one seed learns the seed's peers and dials them, up to targetOutboundPeers", async () => {
    const h = new MemoryHarness();
    const seed = h.node("seed", { pex: true });
    const others = ["p1", "p2", "p3", "p4"].map((host) =>
      h.node(host, { pex: true, peers: [{ address: "seed:7000" }] }),
    );
    for (const n of [seed, ...others]) await n.node.start();
    h.until(() => seed.node.peers().length === 4, "the others reach the seed");
    const newcomer = h.node("new", {
      pex: true,
      targetOutboundPeers: 3,
      peers: [{ address: "seed:7000" }],
    });
    await newcomer.node.start();
    h.until(() => newcomer.node.peers().length >= 3, "the newcomer fills its table");
    h.advance(3 * DEFAULT_PEX_INTERVAL_MS);
    const peers = newcomer.node.peers();
    // The seed and two learned peers: three outbound, the target; none beyond it.
    expect(peers.filter((p) => p.direction === "outbound")).toHaveLength(3);
    expect(peers.map((p) => p.address)).toContain("seed:7000");
    expect(newcomer.node.stats().pex).toMatchObject({ recordsRefused: 0 });
    expect(newcomer.node.stats().pex.known).toBeGreaterThanOrEqual(4);
    for (const n of [seed, ...others, newcomer]) await n.node.stop();
  });

  it("a seed with no room left still hands a newcomer addresses before it closes the link", async () => {
    const h = new MemoryHarness();
    const seed = h.node("seed", { pex: true, maxInboundPeers: 1 });
    const first = h.node("p1", { pex: true, peers: [{ address: "seed:7000" }] });
    await seed.node.start();
    await first.node.start();
    h.until(() => seed.node.peers().length === 1, "the first peer takes the seed's one slot");
    h.advance(100);
    const late = h.node("p2", { pex: true, peers: [{ address: "seed:7000" }] });
    await late.node.start();
    h.until(
      () => late.node.peers().some((p) => p.id === first.identity.id),
      "the newcomer reaches p1",
    );
    expect(seed.node.stats().rejected.too_many_peers).toBeGreaterThanOrEqual(1);
    expect(seed.node.peers().map((p) => p.id)).toEqual([first.identity.id]);
    for (const n of [seed, first, late]) await n.node.stop();
  });

  it("keeps no record that is not signed by the node it names, or that points nowhere", async () => {
    const { h, node, peer } = await pexNodeWithRawPeer();
    const victim = generateIdentity();
    const liar = generateIdentity();
    const now = 0;
    const forged = { ...signAddressRecord(liar, NETWORK, "evil:7000", now), id: victim.id };
    const otherNetwork = signAddressRecord(victim, "another-net", "b:7000", now);
    const nowhere = signAddressRecord(victim, NETWORK, "0.0.0.0:7000", now);
    const good = signAddressRecord(generateIdentity(), NETWORK, "c:7000", now);
    peer.send({ type: "pex", want: false, records: [forged, otherNetwork, nowhere, good] });
    h.advance(100);
    expect(node.node.stats().pex).toMatchObject({
      recordsReceived: 4,
      recordsRefused: 3,
      known: 1,
    });

    const tooMany: PexFrame = {
      type: "pex",
      want: false,
      records: Array.from({ length: MAX_PEX_RECORDS + 1 }, () => good),
    };
    peer.send(tooMany);
    h.advance(100);
    expect(peer.closed?.code).toBe(CLOSE_REASONS.invalid_frame.code);
    await node.node.stop();
  });

  it("answers a request with its own record, once per round", async () => {
    const { h, node, peer } = await pexNodeWithRawPeer();
    const pexFrames = () => peer.frames.filter((f): f is PexFrame => f.type === "pex");
    h.advance(10);
    // On connecting, the node sends its record and asks for ours.
    expect(pexFrames()[0]).toMatchObject({
      want: true,
      records: [{ id: node.identity.id, address: "a:7000" }],
    });
    peer.send({ type: "pex", want: true, records: [] });
    peer.send({ type: "pex", want: true, records: [] });
    h.advance(10);
    expect(pexFrames().filter((f) => !f.want)).toHaveLength(1);
    peer.conn.close(1000, "test over");
    await node.node.stop();
  });
});
