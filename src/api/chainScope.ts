import { type MempoolCall, type StorageCall, TRANSPORT, type TransportCall } from "../engines";
import { NodeError } from "../errors";
import { ApiError } from "./apiError";
import { badRequest } from "./requestParams";
import type { RouteContext } from "./routeTable";

/**
 * `?chain=<id>` addresses the engines of another chain this node follows: the engine
 * name for it, and a call that says so when the node follows no such chain. Transport
 * is the node's own, whatever the chain.
 */
export function chainScope(ctx: RouteContext) {
  const chain = ctx.url.searchParams.get("chain");
  if (chain !== null && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(chain))
    throw badRequest('"chain" must be a chain id');
  const scoped = (engine: string) =>
    chain === null || engine === TRANSPORT ? engine : `${engine}@${chain}`;
  const call = async (
    engine: string,
    msg: MempoolCall | StorageCall | TransportCall,
    timeoutMs?: number,
  ): Promise<unknown> => {
    try {
      return await ctx.deps.mailer.call({ engine: scoped(engine) }, msg, timeoutMs);
    } catch (err) {
      if (chain !== null && err instanceof NodeError && err.code === "NO_SUCH_ENGINE") {
        throw new ApiError(
          { code: "API_NOT_FOUND", path: ctx.url.pathname },
          `Cannot serve request: this node follows no chain "${chain}"`,
        );
      }
      throw err;
    }
  };
  return { chain, scoped, call };
}
