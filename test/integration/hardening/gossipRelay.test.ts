import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GossipFrame, gossipId } from "../../../src/p2p";
import { generateSigningKey, signManifest } from "../../../src/upgrade";
import { craftManifest } from "../../support/craftManifest";
import { useHostileNode } from "../../support/hostileNode";
import { type NodeProcess, startNodeProcess } from "../../support/nodeProcess";
import { freePort } from "../../support/ports";
import { RawPeer } from "../../support/rawPeer";
import { eventually, nodeApi, type TestnetNodeInfo } from "../../support/testnet";

/**
 * A peer gossips junk on the upgrade topics to a victim node that has a second, honest
 * node behind it. The victim hands every message to its upgrade engine but relays only
 * what verifies against its trusted keys: the second node never sees the junk, while a
 * validly signed manifest (one neither node will install: it is not newer) still
 * reaches it, which shows the path between them carries gossip at all.
 */
const node = useHostileNode();

const NETWORK = "anode-dev";
const RELEASE_TOPIC = "upgrade.release";
const EQUIVOCATION_TOPIC = "upgrade.equivocation";
/** The close code the victim gives a peer whose gossip failed validation. */
const INVALID_GOSSIP = 4017;

interface Recent {
  id: string;
  origin: string;
  from: string;
}

/** One gossip frame as its publisher would send it, and its id as nodes report it. */
function gossip(peer: RawPeer, topic: string, body: unknown): { frame: GossipFrame; id: string } {
  const seq = 1;
  const origin = peer.identity.id;
  const id = gossipId(origin, seq, topic);
  return {
    frame: { type: "gossip", id, origin, seq, topic, hops: 1, body },
    id: Buffer.from(id).toString("hex"),
  };
}

describe("gossip on the upgrade topics is relayed only once it verifies", () => {
  let second: NodeProcess;
  let secondInfo: TestnetNodeInfo;
  let victimListen = "";
  const peers: RawPeer[] = [];

  beforeAll(async () => {
    const n = node();
    const info = await n.api<{ listen: string }>("GET", "/v1/peers");
    victimListen = info.body.listen;
    const dir = join(n.workDir, "second");
    const apiPort = await freePort();
    // Trusts the victim's key, so it would take (and show) whatever the victim relays.
    second = await startNodeProcess(["--data-dir", dir, "--api-port", String(apiPort)], {
      env: { ...n.key.env, ANODE_P2P_PEERS: JSON.stringify([{ address: victimListen }]) },
    });
    secondInfo = {
      index: 1,
      id: "",
      host: "127.0.0.1",
      apiPort,
      dir,
      pid: second.pid,
      neighbours: [],
    };
    await eventually(
      async () => (await n.api<{ peers: unknown[] }>("GET", "/v1/peers")).body.peers.length === 1,
      15_000,
      "the second node to connect to the victim",
    );
  });

  afterAll(async () => {
    for (const p of peers) p.close();
    await second?.stop();
  });

  async function attacker(): Promise<RawPeer> {
    const p = new RawPeer(victimListen);
    peers.push(p);
    await p.handshake(NETWORK);
    return p;
  }

  const recentAt = async (
    get: (topic: string) => Promise<{ messages: Recent[] }>,
    topic: string,
  ): Promise<string[]> => (await get(topic)).messages.map((m) => m.id);
  const atVictim = (topic: string) =>
    node()
      .api<{ messages: Recent[] }>("GET", `/v1/gossip?topic=${topic}`)
      .then((r) => r.body);
  const atSecond = (topic: string) =>
    nodeApi<{ messages: Recent[] }>(secondInfo, "GET", `/v1/gossip?topic=${topic}`);

  it("keeps manifests signed by an unknown key, with a broken signature, junk and a forged equivocation proof from the second node, and relays a valid one", async () => {
    const n = node();
    const before = n.snapshot();
    const stranger = generateSigningKey("stranger");

    const unknown = craftManifest("99.0.0");
    const unknownKey = JSON.stringify({
      manifest: unknown,
      signatures: [signManifest(unknown, stranger)],
    });
    const tampered = craftManifest("99.0.1");
    const good = signManifest(tampered, n.key.key);
    const flipped = Buffer.from(good.signature, "base64");
    flipped[0] = (flipped[0] as number) ^ 0xff;
    const brokenSignature = JSON.stringify({
      manifest: tampered,
      signatures: [{ ...good, signature: flipped.toString("base64") }],
    });
    const forgedA = craftManifest("99.0.2");
    const forgedB = craftManifest("99.0.2", { channel: "beta" });
    const forgedProof = {
      a: JSON.stringify({ manifest: forgedA, signatures: [signManifest(forgedA, stranger)] }),
      b: JSON.stringify({ manifest: forgedB, signatures: [signManifest(forgedB, stranger)] }),
    };

    const attacks: Array<{ what: string; topic: string; body: unknown }> = [
      { what: "signed by an unknown key", topic: RELEASE_TOPIC, body: { signed: unknownKey } },
      { what: "broken signature", topic: RELEASE_TOPIC, body: { signed: brokenSignature } },
      { what: "not a manifest", topic: RELEASE_TOPIC, body: { signed: "not a manifest" } },
      { what: "no manifest at all", topic: RELEASE_TOPIC, body: { junk: "x".repeat(1_000) } },
      { what: "forged equivocation proof", topic: EQUIVOCATION_TOPIC, body: forgedProof },
    ];
    const sent: Array<{ what: string; topic: string; id: string; peer: RawPeer }> = [];
    for (const a of attacks) {
      const peer = await attacker();
      const g = gossip(peer, a.topic, a.body);
      peer.send(g.frame);
      sent.push({ what: a.what, topic: a.topic, id: g.id, peer });
    }
    // The victim took every one (its upgrade engine judged them), so any relay already ran.
    for (const s of sent) {
      await eventually(
        async () => (await recentAt(atVictim, s.topic)).includes(s.id),
        10_000,
        `the victim to receive "${s.what}"`,
      );
    }

    // Validly signed by the trusted key, but not newer than what either node runs: both
    // refuse to install it, and the victim still relays it, since other nodes may need it.
    const old = craftManifest("0.0.1");
    const valid = JSON.stringify({ manifest: old, signatures: [signManifest(old, n.key.key)] });
    const honest = await attacker();
    const control = gossip(honest, RELEASE_TOPIC, { signed: valid });
    honest.send(control.frame);
    await eventually(
      async () => (await recentAt(atSecond, RELEASE_TOPIC)).includes(control.id),
      15_000,
      "the valid manifest to reach the second node through the victim",
    );

    const reached: string[] = [];
    for (const s of sent) {
      if ((await recentAt(atSecond, s.topic)).includes(s.id)) reached.push(s.what);
    }
    expect(reached, "junk the victim relayed to the second node").toEqual([]);

    // Each junk sender was cut off for it; the peer that sent the valid manifest was not.
    for (const s of sent) {
      const closed = await Promise.race([
        s.peer.closed,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000)),
      ]);
      expect(closed?.code, `the victim did not close the peer that sent "${s.what}"`).toBe(
        INVALID_GOSSIP,
      );
    }
    const stats = (
      await n.api<{ stats: { validation: { rejected: number; accepted: number } } }>(
        "GET",
        "/v1/peers",
      )
    ).body.stats.validation;
    expect(stats.rejected).toBe(attacks.length);
    expect(stats.accepted).toBe(1);
    expect(honest.ws.readyState).toBe(honest.ws.OPEN);

    await n.expectUnharmed(before);
  });
});
