import { CONSENSUS, MEMPOOL, STORAGE, TRANSPORT } from "../engines";
import { NodeError } from "../errors";
import { ApiError } from "./apiError";
import { chainScope } from "./chainScope";
import { MAX_PINGS, pingPeer } from "./pingPeer";
import { readJsonBody } from "./readBody";
import { badRequest, boundedInt } from "./requestParams";
import type { Route } from "./routeTable";
import { runningApp } from "./runningApp";

/**
 *   GET  /v1/status       the node, its store and mempool, the app it runs
 *   GET  /v1/chain        consensus status of the chain (?chain=<id>)
 *   GET  /v1/peers        p2p links and counters
 *   POST /v1/peers/ping   { peer, count?, window? }: round trips to a peer's router
 */
export const nodeRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/status",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const [storage, mempool, app] = await Promise.all([
        call(STORAGE, { type: "status" }),
        call(MEMPOOL, { type: "stats" }),
        runningApp(ctx.deps),
      ]);
      const body = { ...ctx.deps.nodeInfo(), storage, mempool, ...(app ? { app } : {}) };
      return { status: 200, body };
    },
  },
  {
    method: "GET",
    path: "/v1/chain",
    async handler(ctx) {
      const { scoped } = chainScope(ctx);
      try {
        return {
          status: 200,
          body: await ctx.deps.mailer.call({ engine: scoped(CONSENSUS) }, { type: "status" }),
        };
      } catch (err) {
        if (err instanceof NodeError && err.code === "NO_SUCH_ENGINE") {
          throw new ApiError(
            { code: "API_NOT_FOUND", path: ctx.url.pathname },
            "Cannot show chain status: this node follows no chain (set consensus.chains); it cuts its own blocks",
          );
        }
        throw err;
      }
    },
  },
  {
    method: "GET",
    path: "/v1/peers",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const [peers, stats] = await Promise.all([
        call(TRANSPORT, { type: "peers" }),
        call(TRANSPORT, { type: "stats" }),
      ]);
      const info = ctx.deps.nodeInfo();
      return { status: 200, body: { nodeId: info.nodeId, listen: info.p2pListen, peers, stats } };
    },
  },
  {
    method: "POST",
    path: "/v1/peers/ping",
    async handler(ctx) {
      const body = (await readJsonBody(ctx.req)) as {
        peer?: unknown;
        count?: unknown;
        window?: unknown;
      };
      if (typeof body?.peer !== "string" || !/^[0-9a-f]{40}$/.test(body.peer))
        throw badRequest('"peer" must be a node id');
      const count = boundedInt(body.count, "count", 1, MAX_PINGS, 10);
      const window = boundedInt(body.window, "window", 1, 1024, 1);
      return { status: 200, body: await pingPeer(ctx.deps, body.peer, count, window) };
    },
  },
];
