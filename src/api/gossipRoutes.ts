import { TRANSPORT } from "../engines";
import { chainScope } from "./chainScope";
import { readJsonBody } from "./readBody";
import { badRequest } from "./requestParams";
import type { Route } from "./routeTable";

/** Gossip frames are limited to 256 KiB; leave room for the envelope. */
const MAX_GOSSIP_BODY_BYTES = 200 * 1024;

/**
 *   POST /v1/gossip          { topic, body }: publish
 *   GET  /v1/gossip?topic=   what this node saw on a topic lately
 */
export const gossipRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/gossip",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const body = (await readJsonBody(ctx.req, MAX_GOSSIP_BODY_BYTES)) as {
        topic?: unknown;
        body?: unknown;
      };
      const topic = checkTopic(body?.topic);
      return {
        status: 200,
        body: await call(TRANSPORT, { type: "publish", topic, body: body.body ?? null }),
      };
    },
  },
  {
    method: "GET",
    path: "/v1/gossip",
    async handler(ctx) {
      const { call } = chainScope(ctx);
      const topic = checkTopic(ctx.url.searchParams.get("topic") ?? undefined);
      return {
        status: 200,
        body: { topic, messages: await call(TRANSPORT, { type: "recent", topic }) },
      };
    },
  },
];

function checkTopic(topic: unknown): string {
  if (typeof topic !== "string" || !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(topic)) {
    throw badRequest('"topic" must be 1-128 characters of a-z, 0-9, ".", "_" or "-"');
  }
  return topic;
}
