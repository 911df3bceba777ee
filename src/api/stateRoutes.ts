import { STORAGE, type StorageCall } from "../engines";
import { chainScope } from "./chainScope";
import { toJsonValue } from "./jsonValue";
import { readJsonBody } from "./readBody";
import { badRequest, intParam } from "./requestParams";
import type { Route } from "./routeTable";
import { MAX_WAIT_MS } from "./txRoutes";

/**
 *   GET  /v1/state/:key           its value; ?at=<height>, ?timeoutMs=<ms> to wait for it
 *   GET  /v1/state/:key/history   every version; ?limit=<n>
 *   GET  /v1/root?at=<height>     the state root at a height
 *   POST /v1/snapshot/export      { file, at? }
 */
export const stateRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/state/:key",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const key = ctx.params.key as string;
      const at = intParam(ctx.url, "at", 0, Number.MAX_SAFE_INTEGER);
      const timeoutMs = intParam(ctx.url, "timeoutMs", 0, MAX_WAIT_MS);
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
        body: {
          ...reply,
          ...(reply.value === undefined ? {} : { value: toJsonValue(reply.value) }),
        },
      };
    },
  },
  {
    method: "GET",
    path: "/v1/state/:key/history",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const key = ctx.params.key as string;
      const limit = intParam(ctx.url, "limit", 1, 10_000);
      const versions = (await call(STORAGE, {
        type: "history",
        key,
        ...(limit === undefined ? {} : { limit }),
      })) as Array<Record<string, unknown>>;
      return {
        status: 200,
        body: { key, versions: versions.map((v) => ({ ...v, value: toJsonValue(v.value) })) },
      };
    },
  },
  {
    method: "GET",
    path: "/v1/root",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const at = intParam(ctx.url, "at", 0, Number.MAX_SAFE_INTEGER);
      if (at === undefined) throw badRequest('query parameter "at" (a height) is required');
      return { status: 200, body: await call(STORAGE, { type: "root", at }, 60_000) };
    },
  },
  {
    method: "POST",
    path: "/v1/snapshot/export",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const body = (await readJsonBody(ctx.req)) as { file?: unknown; at?: unknown };
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
    },
  },
];
