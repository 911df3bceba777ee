import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../src/api";
import { useCliNode } from "../../support/cliNode";
import { apiClient } from "../../support/testNode";
import { useTempDir } from "../../support/useTempDir";

const n = useCliNode();
let api: ReturnType<typeof apiClient>;
beforeAll(() => {
  api = apiClient(n().node);
});

/** A request with full control over headers and body, through node:http. */
function raw(opts: {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  end?: boolean;
  /** false sends no Host header at all. */
  setHost?: boolean;
}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: n().node.options.api.port,
        method: opts.method,
        path: opts.path,
        headers: { authorization: `Bearer ${api.token}`, ...opts.headers },
        ...(opts.setHost === undefined ? {} : { setHost: opts.setHost }),
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("end", () => {
          // The server answered before reading the body; drop the unfinished request.
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    if (opts.end !== false) req.end();
  });
}

const put = (key: string, value: string, nonce = "n") => ({
  kind: "kv",
  reads: [],
  writes: [key],
  ops: [{ op: "put", key, value }],
  nonce,
});

describe("control API without a token", () => {
  it("GET /healthz answers { ok: true }", async () => {
    const res = await fetch(`${api.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("GET /metrics answers 401 without the right token", async () => {
    for (const auth of [undefined, "Bearer wrong"]) {
      const res = await fetch(
        `${api.base}/metrics`,
        auth ? { headers: { authorization: auth } } : {},
      );
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body).toMatchObject({ error: { code: "API_UNAUTHORIZED" } });
      expect(JSON.stringify(body)).not.toContain("anode_");
    }
  });

  it("every other endpoint answers 401 without the right token", async () => {
    for (const auth of [undefined, "Bearer wrong", `Basic ${api.token}`]) {
      const res = await fetch(
        `${api.base}/v1/status`,
        auth ? { headers: { authorization: auth } } : {},
      );
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "API_UNAUTHORIZED" } });
    }
  });
});

describe("control API front door (Host and Origin)", () => {
  const port = () => n().node.options.api.port;

  it("refuses a Host that names no loopback address with 421, before the token is read", async () => {
    for (const path of ["/healthz", "/metrics", "/v1/status"]) {
      const r = await raw({
        method: "GET",
        path,
        headers: { host: `attacker.example:${port()}`, authorization: "Bearer wrong" },
      });
      expect(r.status, path).toBe(421);
      expect(JSON.parse(r.text)).toEqual({
        error: {
          code: "API_HOST_REFUSED",
          message: `Cannot serve request: the Host header "attacker.example:${port()}" is not a loopback name (the control API answers only to 127.0.0.1, [::1] or localhost; a web page under another name may be trying DNS rebinding)`,
        },
      });
    }
  });

  it("refuses a request without a Host header", async () => {
    // Node's server answers an HTTP/1.1 request without Host with 400 by itself...
    const r = await raw({ method: "GET", path: "/v1/status", setHost: false });
    expect(r.status).toBe(400);
    // ...and lets HTTP/1.0, where Host is optional, through to the API, which refuses it.
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(port(), "127.0.0.1", () =>
        socket.end(`GET /v1/status HTTP/1.0\r\nauthorization: Bearer ${api.token}\r\n\r\n`),
      );
      let got = "";
      socket.on("data", (c: Buffer) => {
        got += c.toString();
      });
      socket.on("end", () => resolve(got));
      socket.on("error", reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 421 /);
    expect(text).toContain('"code":"API_HOST_REFUSED"');
    expect(text).toContain("the Host header is missing");
  });

  it("refuses a POST from another site's page (a foreign Origin) with 403", async () => {
    const r = await raw({
      method: "POST",
      path: "/v1/tx",
      headers: { origin: "http://attacker.example", "content-type": "application/json" },
      body: JSON.stringify(put("cross-site", "1", "cross-site")),
    });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: "API_ORIGIN_REFUSED" } });
  });

  it("serves localhost and [::1] names, and a page of its own origin", async () => {
    for (const host of [`localhost:${port()}`, `[::1]:${port()}`, `127.0.0.1:${port()}`]) {
      const plain = await raw({ method: "GET", path: "/v1/status", headers: { host } });
      expect(plain.status, host).toBe(200);
      const own = await raw({
        method: "GET",
        path: "/v1/status",
        headers: { host, origin: `http://${host}` },
      });
      expect(own.status, host).toBe(200);
    }
  });
});

describe("control API routes", () => {
  it("GET /metrics with the token serves Prometheus text with the node's gauges", async () => {
    await api.request("POST", "/v1/tx", put("m", "1", "metrics"));
    const res = await fetch(`${api.base}/metrics`, {
      headers: { authorization: `Bearer ${api.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE anode_block_height gauge$/m);
    expect(text).toMatch(/^anode_block_height \d+$/m);
    expect(text).toMatch(/^anode_engine_up\{engine="mempool",version="1\.0\.0"\} 1$/m);
    expect(text).toMatch(/^anode_engine_up\{engine="api",version="1\.0\.0"\} 1$/m);
    expect(text).toMatch(/^anode_mempool_transactions_total\{outcome="accepted"\} [1-9]\d*$/m);
    expect(text).toMatch(/^anode_engine_mailbox_messages\{engine="mempool"\} \d+$/m);
    expect(text).toMatch(/^# TYPE anode_supervisor_restarts_total counter$/m);
    expect(text).toMatch(/^anode_process_cpu_user_seconds_total /m);
  });

  it("serves the dashboard's page and script without the token, which they hold no data of", async () => {
    for (const [path, type] of [
      ["/", /^text\/html/],
      ["/dashboard.js", /^text\/javascript/],
    ] as const) {
      const res = await fetch(`${api.base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await res.text()).not.toContain(api.token);
    }
    expect((await fetch(`${api.base}/v1/status`)).status).toBe(401);
  });

  it("answers 404 for an unknown path and 405, naming the methods it takes, for a wrong method", async () => {
    const unknown = await api.request("GET", "/v1/nope");
    expect(unknown).toEqual({
      status: 404,
      body: {
        error: { code: "API_NOT_FOUND", message: "Cannot serve GET /v1/nope: no such endpoint" },
      },
    });
    expect(await api.request("DELETE", "/v1/status")).toEqual({
      status: 405,
      body: {
        error: {
          code: "API_METHOD_NOT_ALLOWED",
          message: "Cannot serve DELETE /v1/status: it takes GET",
        },
      },
    });
    const gossip = await api.request("PUT", "/v1/gossip");
    expect(gossip.body).toMatchObject({
      error: { message: "Cannot serve PUT /v1/gossip: it takes POST or GET" },
    });
    // A parameter is one non-empty segment, and the path has no trailing parts.
    expect((await api.request("GET", "/v1/tx/")).status).toBe(404);
    expect((await api.request("GET", "/v1/state/a/b/c")).status).toBe(404);
  });

  it("GET /v1/status merges node info with storage and mempool status", async () => {
    const r = await api.request("GET", "/v1/status");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      pid: process.pid,
      dataDir: n().dataDir,
      storage: { height: expect.any(Number) },
      mempool: { pending: expect.any(Number) },
    });
  });

  it("POST /v1/tx answers 202 for a new transaction and 200 for a duplicate", async () => {
    const first = await api.request("POST", "/v1/tx", put("dup", "1", "dup"));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false, status: { state: "pending" } });
    const again = await api.request("POST", "/v1/tx", put("dup", "1", "dup"));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
  });

  it("POST /v1/tx answers 400 with the reason for an invalid transaction", async () => {
    const r = await api.request("POST", "/v1/tx", { kind: "nope" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: expect.stringMatching(/^TX_/) } });
  });

  it("POST /v1/tx with a batch answers each, and refuses more than 10000", async () => {
    const ok = await api.request("POST", "/v1/tx", { txs: [put("b", "1", "b1"), { kind: "x" }] });
    expect(ok.status).toBe(200);
    const results = ok.body.results as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ duplicate: false });
    expect(results[1]).toHaveProperty("error");
    const big = await api.request("POST", "/v1/tx", {
      txs: Array.from({ length: 10_001 }, () => 0),
    });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({
      error: { message: "Cannot serve request: a batch holds at most 10000 transactions" },
    });
  });

  it("POST /v1/tx refuses an empty body and a body that is not JSON with 400", async () => {
    const empty = await raw({ method: "POST", path: "/v1/tx" });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text)).toMatchObject({ error: { code: "API_BAD_REQUEST" } });
    const bad = await api.request("POST", "/v1/tx", "{not json");
    expect(bad.status).toBe(400);
  });

  it("answers 413 for a declared body over MAX_BODY_BYTES", async () => {
    const r = await raw({
      method: "POST",
      path: "/v1/tx",
      headers: { "content-type": "application/json", "content-length": MAX_BODY_BYTES + 1 },
      body: "{}",
      end: false,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({
      error: {
        code: "API_BODY_TOO_LARGE",
        message: `Cannot read request: the body is larger than ${MAX_BODY_BYTES} bytes`,
      },
    });
  });

  it("answers 413 for a body over MAX_BODY_BYTES, and keeps serving", async () => {
    const res = await fetch(`${api.base}/v1/tx`, {
      method: "POST",
      headers: { authorization: `Bearer ${api.token}` },
      body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "API_BODY_TOO_LARGE" } });
    expect((await fetch(`${api.base}/healthz`)).status).toBe(200);
  });

  it("GET /v1/tx/:id reports a status, waits with ?wait, and 400s a bad id or wait", async () => {
    const sub = await api.request("POST", "/v1/tx", put("w", "1", "wait"));
    const id = sub.body.id as string;
    const waited = await api.request("GET", `/v1/tx/${id}?wait=10000`);
    expect(waited).toMatchObject({ status: 200, body: { id, status: { state: "committed" } } });
    const now = await api.request("GET", `/v1/tx/${id}?wait=0`);
    expect(now.body).toMatchObject({ id, status: { state: "committed" } });
    const unknown = await api.request("GET", `/v1/tx/${"0".repeat(64)}`);
    expect(unknown.body).toEqual({ id: "0".repeat(64), status: { state: "unknown" } });

    const badId = await api.request("GET", "/v1/tx/XYZ");
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({
      error: { message: "Cannot serve request: a transaction id is 64 lowercase hex characters" },
    });
    for (const wait of ["abc", "-1", "120001", "1.5"]) {
      const r = await api.request("GET", `/v1/tx/${id}?wait=${wait}`);
      expect(r.status, wait).toBe(400);
      expect(r.body).toMatchObject({
        error: {
          message:
            'Cannot serve request: query parameter "wait" must be an integer from 0 to 120000',
        },
      });
    }
  });

  it("GET /v1/state/:key reads, and /history lists versions, with bad integers refused", async () => {
    await api.request("POST", "/v1/tx", put("h", "one", "h1"));
    const second = await api.request("POST", "/v1/tx", put("h", "two", "h2"));
    await api.request("GET", `/v1/tx/${second.body.id as string}?wait=10000`);
    const read = await api.request("GET", "/v1/state/h");
    expect(read.body).toMatchObject({ key: "h", found: true, value: "two" });
    const history = await api.request("GET", "/v1/state/h/history");
    const versions = history.body.versions as Array<{ value: unknown }>;
    expect(versions.map((v) => v.value).sort()).toEqual(["one", "two"]);
    const limited = await api.request("GET", "/v1/state/h/history?limit=1");
    expect(limited.body.versions).toHaveLength(1);

    for (const q of ["at=-1", "at=x", "timeoutMs=120001", "timeoutMs=1e3"]) {
      const r = await api.request("GET", `/v1/state/h?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body).toMatchObject({ error: { code: "API_BAD_REQUEST" } });
    }
    for (const q of ["limit=0", "limit=10001"]) {
      const r = await api.request("GET", `/v1/state/h/history?${q}`);
      expect(r.status, q).toBe(400);
    }
  });

  it("GET /v1/state answers 504 when a future height is not reached in time", async () => {
    const r = await api.request("GET", "/v1/state/h?at=999999&timeoutMs=50");
    expect(r.status).toBe(504);
    expect(r.body).toMatchObject({ error: { code: "STORAGE_READ_TIMEOUT" } });
  });

  describe("POST /v1/snapshot/export", () => {
    const out = useTempDir("anode-api-snap-");

    it("exports to the file named in the body", async () => {
      const file = join(out(), "s.snap");
      const r = await api.request("POST", "/v1/snapshot/export", { file });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ height: expect.any(Number), entries: expect.any(Number) });
    });

    it.each([
      [{}, 'the body needs { "file": "<absolute path>" }'],
      [{ file: "" }, 'the body needs { "file": "<absolute path>" }'],
      [{ file: 3 }, 'the body needs { "file": "<absolute path>" }'],
      [null, 'the body needs { "file": "<absolute path>" }'],
      [{ file: "/tmp/x.snap", at: -1 }, '"at" must be a non-negative integer height'],
      [{ file: "/tmp/x.snap", at: 1.5 }, '"at" must be a non-negative integer height'],
      [{ file: "/tmp/x.snap", at: "1" }, '"at" must be a non-negative integer height'],
    ])("answers 400 for the body %j", async (body, reason) => {
      const r = await api.request("POST", "/v1/snapshot/export", JSON.stringify(body));
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        error: { code: "API_BAD_REQUEST", message: `Cannot serve request: ${reason}` },
      });
    });
  });
});

describe("GET /v1/tx/:id?wait on a node that cuts blocks rarely", () => {
  const slow = useCliNode({ blockIntervalMs: 60_000 });

  it("answers the current status with timedOut when the wait runs out", async () => {
    const client = apiClient(slow().node);
    const sub = await client.request("POST", "/v1/tx", put("t", "1", "slow"));
    const id = sub.body.id as string;
    const r = await client.request("GET", `/v1/tx/${id}?wait=100`);
    expect(r).toEqual({ status: 200, body: { id, status: { state: "pending" }, timedOut: true } });
  });
});
