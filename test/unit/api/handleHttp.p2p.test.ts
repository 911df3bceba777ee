import { beforeAll, describe, expect, it } from "vitest";
import { useCliNode } from "../../support/cliNode";
import { apiClient } from "../../support/testNode";

const n = useCliNode();
let api: ReturnType<typeof apiClient>;
beforeAll(() => {
  api = apiClient(n().node);
});

const NODE_ID = /^[0-9a-f]{40}$/;
const stranger = "a".repeat(40);

describe("GET /v1/peers", () => {
  it("names this node and its p2p address, with no peers and transport stats", async () => {
    const r = await api.request("GET", "/v1/peers");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      nodeId: expect.stringMatching(NODE_ID),
      listen: n().node.options.p2p.listen,
      peers: [],
      stats: expect.any(Object),
    });
  });
});

describe("/v1/gossip", () => {
  it("publishes a message that GET then lists under its topic, from this node", async () => {
    const published = await api.request("POST", "/v1/gossip", { topic: "news.v1", body: { a: 1 } });
    expect(published.status).toBe(200);
    const id = published.body.id;
    expect(id).toEqual(expect.any(String));
    const self = (await api.request("GET", "/v1/peers")).body.nodeId;
    const recent = await api.request("GET", "/v1/gossip?topic=news.v1");
    expect(recent.status).toBe(200);
    expect(recent.body).toMatchObject({
      topic: "news.v1",
      messages: [{ id, origin: self, body: { a: 1 } }],
    });
  });

  it("publishes null when the body is left out", async () => {
    await api.request("POST", "/v1/gossip", { topic: "empty" });
    const recent = await api.request("GET", "/v1/gossip?topic=empty");
    expect(recent.body.messages).toMatchObject([{ body: null }]);
  });

  it.each([["BAD"], [""], ["-lead"], ["x".repeat(129)], ["a b"]])(
    "refuses the topic %j with 400",
    async (topic) => {
      const message =
        'Cannot serve request: "topic" must be 1-128 characters of a-z, 0-9, ".", "_" or "-"';
      const post = await api.request("POST", "/v1/gossip", { topic, body: 1 });
      expect(post).toEqual({ status: 400, body: { error: { code: "API_BAD_REQUEST", message } } });
      const get = await api.request("GET", `/v1/gossip?topic=${encodeURIComponent(topic)}`);
      expect(get.status).toBe(400);
    },
  );

  it("refuses GET without a topic, and a POST body over 200 KiB", async () => {
    expect((await api.request("GET", "/v1/gossip")).status).toBe(400);
    const big = await api.request("POST", "/v1/gossip", {
      topic: "big",
      body: "x".repeat(200 * 1024),
    });
    expect(big.status).toBe(413);
  });
});

describe("POST /v1/peers/ping", () => {
  it("reports every ping to a peer that is not connected as failed, with the first reason", async () => {
    const r = await api.request("POST", "/v1/peers/ping", { peer: stranger, count: 3, window: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      peer: stranger,
      count: 3,
      window: 2,
      ok: 0,
      failed: 3,
      firstError: expect.stringContaining(stranger),
      callsPerSecond: 0,
      p50Ms: null,
      p99Ms: null,
    });
  });

  it("sends 10 pings one at a time by default", async () => {
    const r = await api.request("POST", "/v1/peers/ping", { peer: stranger });
    expect(r.body).toMatchObject({ count: 10, window: 1, failed: 10 });
  });

  it.each([
    [{ peer: "nope" }, '"peer" must be a node id'],
    [{}, '"peer" must be a node id'],
    [{ peer: stranger, count: 0 }, '"count" must be an integer from 1 to 1000000'],
    [{ peer: stranger, count: "3" }, '"count" must be an integer from 1 to 1000000'],
    [{ peer: stranger, window: 1025 }, '"window" must be an integer from 1 to 1024'],
    [{ peer: stranger, window: 1.5 }, '"window" must be an integer from 1 to 1024'],
  ])("answers 400 for %j", async (body, reason) => {
    const r = await api.request("POST", "/v1/peers/ping", body);
    expect(r).toEqual({
      status: 400,
      body: { error: { code: "API_BAD_REQUEST", message: `Cannot serve request: ${reason}` } },
    });
  });
});
