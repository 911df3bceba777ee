import { afterEach, describe, expect, it } from "vitest";
import { type P2PNode, WsTransport } from "../../../src/p2p";
import { freePort } from "../../support/ports";
import { recordingNode, waitFor } from "./helpers";

describe("P2PNode over websockets", () => {
  const started: P2PNode[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((n) => n.stop()));
  });

  it("two nodes authenticate, exchange direct messages and gossip", async () => {
    const port = await freePort();
    const a = recordingNode(new WsTransport(), { listen: `127.0.0.1:${port}` });
    const b = recordingNode(new WsTransport(), {
      peers: [{ address: `127.0.0.1:${port}`, id: a.identity.id }],
    });
    started.push(a.node, b.node);
    await a.node.start();
    await b.node.start();
    await waitFor(() => a.seen.up.length === 1 && b.seen.up.length === 1, 5_000, "handshake");
    expect(a.seen.up[0]?.id).toBe(b.identity.id);
    expect(a.seen.up[0]?.direction).toBe("inbound");
    expect(b.seen.up[0]?.direction).toBe("outbound");

    expect(b.node.sendDirect(a.identity.id, { kind: "cast", to: "mempool", body: { n: 1 } })).toBe(
      true,
    );
    await waitFor(() => a.seen.messages.length === 1, 5_000, "direct message");
    expect(a.seen.messages[0]).toEqual({
      from: b.identity.id,
      msg: { kind: "cast", to: "mempool", body: { n: 1 } },
    });

    const id = a.node.publish("tx", { hello: "world" });
    await waitFor(() => b.seen.gossip.length === 1, 5_000, "gossip");
    expect(b.seen.gossip[0]?.meta).toEqual({
      from: a.identity.id,
      origin: a.identity.id,
      id,
      hops: 1,
    });
    expect(a.seen.gossip).toEqual([]);
    expect(a.seen.rejected).toEqual([]);
    expect(b.seen.rejected).toEqual([]);

    await b.node.stop();
    await waitFor(() => a.seen.down.length === 1, 5_000, "peer down");
    expect(a.seen.down[0]?.reason).toBe("node stopping");
  });
});
