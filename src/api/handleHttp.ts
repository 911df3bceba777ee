import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CONSENSUS,
  MEMPOOL,
  type MempoolCall,
  STORAGE,
  type StorageCall,
  type SubmitResult,
  TRANSPORT,
  type TransportCall,
} from "../engines";
import { NodeError } from "../errors";
import type { ApiDeps } from "./apiDeps";
import { ApiError, httpStatusOf } from "./apiError";
import { tokenMatches } from "./apiToken";
import { toJsonValue } from "./jsonValue";
import { readJsonBody } from "./readBody";
import { runningApp } from "./runningApp";
import { upgradeRoutes } from "./upgradeRoutes";

/** Longest a client may ask `GET /v1/tx/:id?wait=` to hold the request. */
export const MAX_WAIT_MS = 120_000;
const MAX_BATCH = 10_000;

type Reply = { status: number; body: unknown };

/** Serves one HTTP request of the control API. Every error becomes a JSON body with a code. */
export async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDeps,
): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(req, deps, res);
    if (res.headersSent) return;
  } catch (err) {
    reply = errorReply(err);
  }
  sendReply(res, reply);
}

/** Writes a reply as JSON. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function errorReply(err: unknown): Reply {
  if (err instanceof NodeError) {
    return {
      status: httpStatusOf(err.code),
      body: { error: { code: err.code, message: err.message } },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: "INTERNAL", message: err instanceof Error ? err.message : String(err) },
    },
  };
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined;
}

export function authorize(req: IncomingMessage, deps: ApiDeps): void {
  if (!tokenMatches(bearer(req), deps.token)) {
    throw new ApiError(
      { code: "API_UNAUTHORIZED" },
      "Cannot serve request: missing or wrong API token (send Authorization: Bearer <token from the data directory's api.token>)",
    );
  }
}

async function route(req: IncomingMessage, deps: ApiDeps, res: ServerResponse): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const method = req.method ?? "GET";
  if (path === "/healthz") return { status: 200, body: { ok: true } };
  // Metrics name the node's engines, versions, peers and load: they need the token too
  // (Prometheus sends it from `authorization: { credentials_file: <data dir>/api.token }`).
  authorize(req, deps);
  if (path === "/metrics" && method === "GET") {
    const text = await deps.metrics.metrics();
    res.writeHead(200, { "content-type": deps.metrics.contentType });
    res.end(text);
    return { status: 200, body: null };
  }
  // `?chain=<id>` addresses the engines of another chain this node follows.
  const chain = url.searchParams.get("chain");
  if (chain !== null && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(chain))
    throw badRequest('"chain" must be a chain id');
  const scoped = (engine: string) => (chain === null ? engine : `${engine}@${chain}`);
  const call = async (
    engine: string,
    msg: MempoolCall | StorageCall | TransportCall,
    timeoutMs?: number,
  ) => {
    try {
      return await deps.mailer.call(
        { engine: engine === TRANSPORT ? engine : scoped(engine) },
        msg,
        timeoutMs,
      );
    } catch (err) {
      if (chain !== null && err instanceof NodeError && err.code === "NO_SUCH_ENGINE") {
        throw new ApiError(
          { code: "API_NOT_FOUND", path },
          `Cannot serve request: this node follows no chain "${chain}"`,
        );
      }
      throw err;
    }
  };

  const upgrade = await upgradeRoutes(req, path, deps);
  if (upgrade !== undefined) return upgrade;
  if (path === "/v1/status" && method === "GET") {
    const [storage, mempool, app] = await Promise.all([
      call(STORAGE, { type: "status" }),
      call(MEMPOOL, { type: "stats" }),
      runningApp(deps),
    ]);
    const body = { ...deps.nodeInfo(), storage, mempool, ...(app ? { app } : {}) };
    return { status: 200, body };
  }
  if (path === "/v1/tx" && method === "POST") {
    const body = await readJsonBody(req);
    const batch = isBatch(body);
    const txs = batch ? (body as { txs: unknown[] }).txs : [body];
    if (txs.length > MAX_BATCH) throw badRequest(`a batch holds at most ${MAX_BATCH} transactions`);
    const results = (await call(MEMPOOL, { type: "submit", txs })) as SubmitResult[];
    if (batch) return { status: 200, body: { results } };
    const [one] = results as [SubmitResult];
    if ("error" in one) return { status: httpStatusOf(one.error.code), body: one };
    return { status: one.duplicate ? 200 : 202, body: one };
  }
  const txMatch = /^\/v1\/tx\/([0-9a-f]{64})$/.exec(path);
  if (txMatch && method === "GET") {
    const id = txMatch[1] as string;
    const wait = intParam(url, "wait", 0, MAX_WAIT_MS);
    if (wait === undefined || wait === 0)
      return { status: 200, body: { id, status: await call(MEMPOOL, { type: "status", id }) } };
    try {
      return {
        status: 200,
        body: { id, status: await call(MEMPOOL, { type: "status", id, wait: true }, wait) },
      };
    } catch (err) {
      if (!(err instanceof NodeError && err.code === "CALL_TIMEOUT")) throw err;
      return {
        status: 200,
        body: { id, status: await call(MEMPOOL, { type: "status", id }), timedOut: true },
      };
    }
  }
  if (path.startsWith("/v1/tx/"))
    throw badRequest("a transaction id is 64 lowercase hex characters");
  const stateMatch = /^\/v1\/state\/([^/]+)(\/history)?$/.exec(path);
  if (stateMatch && method === "GET") {
    const key = decodeURIComponent(stateMatch[1] as string);
    if (stateMatch[2]) {
      const limit = intParam(url, "limit", 1, 10_000);
      const versions = (await call(STORAGE, {
        type: "history",
        key,
        ...(limit === undefined ? {} : { limit }),
      })) as Array<Record<string, unknown>>;
      return {
        status: 200,
        body: { key, versions: versions.map((v) => ({ ...v, value: toJsonValue(v.value) })) },
      };
    }
    const at = intParam(url, "at", 0, Number.MAX_SAFE_INTEGER);
    const timeoutMs = intParam(url, "timeoutMs", 0, MAX_WAIT_MS);
    const reply = (await call(
      STORAGE,
      {
        type: "read",
        key,
        ...(at === undefined ? {} : { at }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      (timeoutMs ?? 5000) + 1000,
    )) as { value?: unknown };
    return {
      status: 200,
      body: { ...reply, ...(reply.value === undefined ? {} : { value: toJsonValue(reply.value) }) },
    };
  }
  if (path === "/v1/root" && method === "GET") {
    const at = intParam(url, "at", 0, Number.MAX_SAFE_INTEGER);
    if (at === undefined) throw badRequest('query parameter "at" (a height) is required');
    return { status: 200, body: await call(STORAGE, { type: "root", at }, 60_000) };
  }
  if (path === "/v1/chain" && method === "GET") {
    try {
      return {
        status: 200,
        body: await deps.mailer.call({ engine: scoped(CONSENSUS) }, { type: "status" }),
      };
    } catch (err) {
      if (err instanceof NodeError && err.code === "NO_SUCH_ENGINE") {
        throw new ApiError(
          { code: "API_NOT_FOUND", path },
          "Cannot show chain status: this node follows no chain (set consensus.chains); it cuts its own blocks",
        );
      }
      throw err;
    }
  }
  if (path === "/v1/peers" && method === "GET") {
    const [peers, stats] = await Promise.all([
      call(TRANSPORT, { type: "peers" }),
      call(TRANSPORT, { type: "stats" }),
    ]);
    const info = deps.nodeInfo();
    return { status: 200, body: { nodeId: info.nodeId, listen: info.p2pListen, peers, stats } };
  }
  if (path === "/v1/peers/ping" && method === "POST") {
    const body = (await readJsonBody(req)) as { peer?: unknown; count?: unknown; window?: unknown };
    if (typeof body?.peer !== "string" || !/^[0-9a-f]{40}$/.test(body.peer))
      throw badRequest('"peer" must be a node id');
    const count = boundedInt(body.count, "count", 1, MAX_PINGS, 10);
    const window = boundedInt(body.window, "window", 1, 1024, 1);
    return { status: 200, body: await pingPeer(deps, body.peer, count, window) };
  }
  if (path === "/v1/gossip" && method === "POST") {
    const body = (await readJsonBody(req, MAX_GOSSIP_BODY_BYTES)) as {
      topic?: unknown;
      body?: unknown;
    };
    const topic = checkTopic(body?.topic);
    return {
      status: 200,
      body: await call(TRANSPORT, { type: "publish", topic, body: body.body ?? null }),
    };
  }
  if (path === "/v1/gossip" && method === "GET") {
    const topic = checkTopic(url.searchParams.get("topic") ?? undefined);
    return {
      status: 200,
      body: { topic, messages: await call(TRANSPORT, { type: "recent", topic }) },
    };
  }
  if (path === "/v1/snapshot/export" && method === "POST") {
    const body = (await readJsonBody(req)) as { file?: unknown; at?: unknown };
    if (typeof body?.file !== "string" || body.file === "")
      throw badRequest('the body needs { "file": "<absolute path>" }');
    if (
      body.at !== undefined &&
      (typeof body.at !== "number" || !Number.isSafeInteger(body.at) || body.at < 0)
    ) {
      throw badRequest('"at" must be a non-negative integer height');
    }
    const msg: StorageCall = {
      type: "export",
      file: body.file,
      ...(body.at === undefined ? {} : { at: body.at as number }),
    };
    return { status: 200, body: await call(STORAGE, msg, 600_000) };
  }
  throw new ApiError(
    { code: "API_NOT_FOUND", path },
    `Cannot serve ${method} ${path}: no such endpoint`,
  );
}

const MAX_PINGS = 1_000_000;

function boundedInt(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    throw badRequest(`"${name}" must be an integer from ${min} to ${max}`);
  }
  return v;
}

/**
 * Remote calls to a peer's router, `window` in flight at a time: round-trip latency and
 * calls per second over the real p2p path, for operators and the p2p benchmark.
 */
async function pingPeer(deps: ApiDeps, peer: string, count: number, window: number) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const lane = async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      try {
        await deps.mailer.call({ node: peer, engine: "router" }, { type: "ping" }, 10_000);
        latencies.push(performance.now() - t0);
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  const ms = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
  return {
    peer,
    count,
    window,
    ok: latencies.length,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    ms,
    callsPerSecond: (latencies.length / ms) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/** Gossip frames are limited to 256 KiB; leave room for the envelope. */
const MAX_GOSSIP_BODY_BYTES = 200 * 1024;

function checkTopic(topic: unknown): string {
  if (typeof topic !== "string" || !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(topic)) {
    throw badRequest('"topic" must be 1-128 characters of a-z, 0-9, ".", "_" or "-"');
  }
  return topic;
}

function isBatch(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Array.isArray((body as { txs?: unknown }).txs)
  );
}

function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw badRequest(`query parameter "${name}" must be an integer from ${min} to ${max}`);
  }
  return n;
}

function badRequest(reason: string): ApiError {
  return new ApiError({ code: "API_BAD_REQUEST", reason }, `Cannot serve request: ${reason}`);
}
