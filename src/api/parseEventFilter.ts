import type { FilterSpec } from "../runtime";
import { ApiError } from "./apiError";

const MAX_CHAIN = 16;

/**
 * The filter chain of an event stream, from its query: `filter` holds a JSON list of
 * `{ name, params }` links; `topic` (repeatable, or comma-separated) is a shorthand for
 * one topic filter. Both may be given; the topic filter comes first.
 */
export function parseEventFilter(url: URL): FilterSpec[] {
  const chain: FilterSpec[] = [];
  const topics = url.searchParams
    .getAll("topic")
    .flatMap((t) => t.split(","))
    .filter((t) => t !== "");
  if (topics.length > 0) chain.push({ name: "topic", params: topics });
  const raw = url.searchParams.get("filter");
  if (raw !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw bad("the filter query parameter is not valid JSON");
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const f of list) {
      if (
        typeof f !== "object" ||
        f === null ||
        typeof (f as { name?: unknown }).name !== "string"
      ) {
        throw bad('each filter needs a "name"');
      }
      const { name, params } = f as { name: string; params?: unknown };
      chain.push(params === undefined ? { name } : { name, params });
    }
  }
  if (chain.length > MAX_CHAIN) throw bad(`a filter chain has at most ${MAX_CHAIN} links`);
  return chain;
}

function bad(reason: string): ApiError {
  return new ApiError({ code: "API_BAD_REQUEST", reason }, `Cannot subscribe: ${reason}`);
}
