import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type ApiArgs, ApiError, apiEngine, MAX_STREAM_BUFFER_BYTES } from "../../../src/api";
import type { EngineContext } from "../../../src/runtime";
import { useCliNode } from "../../support/cliNode";
import { freePort } from "../../support/ports";
import { apiClient } from "../../support/testNode";
import { waitUntil } from "../../support/waitUntil";

const n = useCliNode();

function wsUrl(path: string): string {
  return `ws://127.0.0.1:${n().node.options.api.port}${path}`;
}

function port(): number {
  return n().node.options.api.port;
}

function token(): string {
  return apiClient(n().node).token;
}

/** Opens a stream and resolves with how the server answered the upgrade. */
function refusal(
  path: string,
  auth?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(path), {
      headers: { ...(auth ? { authorization: auth } : {}), ...headers },
    });
    ws.on("open", () => {
      ws.close();
      reject(new Error(`the stream at ${path} opened; expected a refusal`));
    });
    ws.on("error", () => {});
    ws.on("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
}

interface Stream {
  ws: WebSocket;
  messages: Array<{ topic: string; body?: unknown }>;
  closed: Promise<{ code: number; reason: string }>;
}

function openStream(query: string): Stream {
  const ws = new WebSocket(wsUrl(`/v1/events${query}`), {
    headers: { authorization: `Bearer ${token()}` },
  });
  const messages: Stream["messages"] = [];
  ws.on("message", (d) => messages.push(JSON.parse(String(d)) as { topic: string }));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, closed };
}

describe("websocket /v1/events", () => {
  it("refuses an upgrade without a token with 401", async () => {
    const r = await refusal("/v1/events");
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: { code: "API_UNAUTHORIZED" } });
    expect((await refusal("/v1/events", "Bearer nope")).status).toBe(401);
  });

  it("refuses an upgrade from another site's page (a foreign Origin) with 403", async () => {
    for (const origin of ["http://attacker.example", "null", `https://127.0.0.1:${port()}`]) {
      const r = await refusal("/v1/events", `Bearer ${token()}`, { origin });
      expect(r.status, origin).toBe(403);
      expect(r.body).toMatchObject({ error: { code: "API_ORIGIN_REFUSED" } });
    }
  });

  it("refuses an upgrade under a Host that names no loopback address with 421", async () => {
    const r = await refusal("/v1/events", `Bearer ${token()}`, {
      host: `attacker.example:${port()}`,
      origin: `http://attacker.example:${port()}`,
    });
    expect(r.status).toBe(421);
    expect(r.body).toMatchObject({ error: { code: "API_HOST_REFUSED" } });
  });

  it("opens a stream for a page of its own origin", async () => {
    const ws = new WebSocket(wsUrl("/v1/events"), {
      headers: {
        authorization: `Bearer ${token()}`,
        host: `localhost:${port()}`,
        origin: `http://localhost:${port()}`,
      },
    });
    const first = await new Promise<{ topic: string }>((resolve, reject) => {
      ws.on("message", (d) => resolve(JSON.parse(String(d)) as { topic: string }));
      ws.on("error", reject);
    });
    ws.close();
    expect(first.topic).toBe("stream.subscribed");
  });

  it("refuses an upgrade at another path with 404", async () => {
    const r = await refusal("/v1/other", `Bearer ${token()}`);
    expect(r).toEqual({
      status: 404,
      body: { error: { code: "API_NOT_FOUND", message: "Cannot open a stream at /v1/other" } },
    });
  });

  it("refuses a filter that is not JSON with 400", async () => {
    const r = await refusal("/v1/events?filter=%7B", `Bearer ${token()}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: "API_BAD_REQUEST" } });
  });

  it("confirms the subscription, then delivers matching events", async () => {
    const s = openStream("?topic=tx.committed");
    await waitUntil(() => s.messages.length > 0, "the subscription confirmation");
    expect(s.messages[0]).toEqual({
      topic: "stream.subscribed",
      body: { chain: [{ name: "topic", params: ["tx.committed"] }] },
    });
    const api = apiClient(n().node);
    await api.request("POST", "/v1/tx", {
      kind: "kv",
      reads: [],
      writes: ["ev"],
      ops: [{ op: "put", key: "ev", value: "1" }],
      nonce: "ws",
    });
    await waitUntil(() => s.messages.length > 1, "a tx.committed event");
    expect(s.messages.slice(1).every((m) => m.topic === "tx.committed")).toBe(true);
    s.ws.close(1000);
    expect((await s.closed).code).toBe(1000);
  });

  it("closes the stream with 1008 and the reason when the broker refuses the filter", async () => {
    const s = openStream(`?filter=${encodeURIComponent('[{"name":"nosuch"}]')}`);
    const { code, reason } = await s.closed;
    expect(code).toBe(1008);
    expect(reason).toContain('unknown filter "nosuch"');
    expect(s.messages).toEqual([]);
  });

  it("keeps serving other streams after a client goes away", async () => {
    const gone = openStream("?topic=tx.*");
    await waitUntil(() => gone.messages.length > 0, "the first subscription");
    gone.ws.terminate();
    await gone.closed;
    const s = openStream("?topic=tx.*");
    await waitUntil(() => s.messages.length > 0, "the second subscription");
    let nonce = 0;
    await waitUntil(() => s.messages.length > 1, "an event on the second stream", {
      everyMs: 20,
      between: () =>
        apiClient(n().node).request("POST", "/v1/tx", {
          kind: "kv",
          reads: [],
          writes: ["again"],
          ops: [{ op: "put", key: "again", value: "1" }],
          nonce: `again-${nonce++}`,
        }),
    });
    s.ws.close(1000);
    await s.closed;
  });
});

/** A context with only what these paths of the API engine use. */
function plainContext(): EngineContext {
  const none = () => {
    throw new Error("not used by the API engine");
  };
  return {
    name: "api",
    log: { debug() {}, info() {}, warn() {}, error() {} },
    info: none,
    reply: none,
    replyError: none,
    call: none,
    cast: none,
    send: none,
    sendAfter: none,
    stop: none,
  };
}

function plainSocket(bufferedAmount: number) {
  const calls: Array<[string, ...unknown[]]> = [];
  return {
    calls,
    ws: {
      bufferedAmount,
      send: (data: string) => calls.push(["send", data]),
      close: (code: number, reason: string) => calls.push(["close", code, reason]),
    },
  };
}

describe("apiEngine.handleInfo() on a broker delivery", () => {
  type State = Parameters<NonNullable<typeof apiEngine.handleInfo>>[1];
  const event = { topic: "tx.committed", body: { ok: true }, time: 1 };

  function stateWith(tag: string, ws: unknown): State {
    return { streams: new Map([[tag, { ws, chain: [] }]]) } as unknown as State;
  }

  it("sends the event to the stream its tag names", async () => {
    const s = plainSocket(0);
    await apiEngine.handleInfo?.(
      { type: "broker.event", tag: "1", event },
      stateWith("1", s.ws),
      plainContext(),
    );
    expect(s.calls).toEqual([["send", JSON.stringify(event)]]);
  });

  it("drops a client that lets more than MAX_STREAM_BUFFER_BYTES pile up, with 1013", async () => {
    const s = plainSocket(MAX_STREAM_BUFFER_BYTES + 1);
    await apiEngine.handleInfo?.(
      { type: "broker.event", tag: "1", event },
      stateWith("1", s.ws),
      plainContext(),
    );
    expect(s.calls).toEqual([["close", 1013, "event stream client too slow"]]);
  });

  it("still sends to a client exactly at the limit", async () => {
    const s = plainSocket(MAX_STREAM_BUFFER_BYTES);
    await apiEngine.handleInfo?.(
      { type: "broker.event", tag: "1", event },
      stateWith("1", s.ws),
      plainContext(),
    );
    expect(s.calls.map((c) => c[0])).toEqual(["send"]);
  });

  it("ignores deliveries for an unknown or missing tag, and unknown messages", async () => {
    const s = plainSocket(0);
    const state = stateWith("1", s.ws);
    const ctx = plainContext();
    await apiEngine.handleInfo?.({ type: "broker.event", tag: "2", event }, state, ctx);
    await apiEngine.handleInfo?.({ type: "broker.event", event }, state, ctx);
    expect(await apiEngine.handleInfo?.({ type: "other" }, state, ctx)).toBe(state);
    expect(s.calls).toEqual([]);
  });
});

describe("apiEngine.init()", () => {
  const deps = {} as ApiArgs["deps"];
  let blocker: ReturnType<typeof createServer>;
  let taken = 0;
  beforeAll(async () => {
    blocker = createServer();
    taken = await freePort();
    await new Promise<void>((resolve) => blocker.listen(taken, "127.0.0.1", () => resolve()));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it("refuses a port in use with API_PORT_IN_USE and a hint", async () => {
    const err = await Promise.resolve(
      apiEngine.init({ host: "127.0.0.1", port: taken, deps }, plainContext()),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: "API_PORT_IN_USE",
      type: { code: "API_PORT_IN_USE", host: "127.0.0.1", port: taken },
    });
    expect((err as Error).message).toBe(
      `Cannot start the control API: 127.0.0.1:${taken} is in use (another node? set api.port or --api-port)`,
    );
  });

  it("passes on other listen errors as they are", async () => {
    // 192.0.2.1 (TEST-NET-1) is never a local address, so binding to it fails.
    const err = await Promise.resolve(
      apiEngine.init({ host: "192.0.2.1", port: 0, deps }, plainContext()),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "EADDRNOTAVAIL" });
  });
});
