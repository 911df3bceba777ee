import { MEMPOOL, type SubmitResult } from "../engines";
import { NodeError } from "../errors";
import { httpStatusOf } from "./apiError";
import { chainScope } from "./chainScope";
import { readJsonBody } from "./readBody";
import { badRequest, intParam } from "./requestParams";
import type { Route } from "./routeTable";

/** Longest a client may ask `GET /v1/tx/:id?wait=` to hold the request. */
export const MAX_WAIT_MS = 120_000;
const MAX_BATCH = 10_000;

/**
 *   POST /v1/tx        one transaction, or { txs: [...] }
 *   GET  /v1/tx/:id    its status; ?wait=<ms> holds the request until it commits
 */
export const txRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/tx",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const body = await readJsonBody(ctx.req);
      const batch = isBatch(body);
      const txs = batch ? (body as { txs: unknown[] }).txs : [body];
      if (txs.length > MAX_BATCH)
        throw badRequest(`a batch holds at most ${MAX_BATCH} transactions`);
      const results = (await call(MEMPOOL, { type: "submit", txs })) as SubmitResult[];
      if (batch) return { status: 200, body: { results } };
      const [one] = results as [SubmitResult];
      if ("error" in one) return { status: httpStatusOf(one.error.code), body: one };
      return { status: one.duplicate ? 200 : 202, body: one };
    },
  },
  {
    method: "GET",
    path: "/v1/tx/:id",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const id = ctx.params.id as string;
      if (!/^[0-9a-f]{64}$/.test(id))
        throw badRequest("a transaction id is 64 lowercase hex characters");
      const wait = intParam(ctx.url, "wait", 0, MAX_WAIT_MS);
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
    },
  },
];

function isBatch(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Array.isArray((body as { txs?: unknown }).txs)
  );
}
