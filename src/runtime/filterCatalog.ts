import type { BrokerEvent } from "./broker";
import { RuntimeError } from "./runtimeError";
import type { FilterSpec } from "./subscriptionTable";

export type Predicate = (event: BrokerEvent) => boolean;
export type FilterFactory = (params: unknown) => Predicate;

/** The kinds of filter subscribers may name, each turning its params into a predicate. */
export class FilterCatalog {
  private readonly kinds = new Map<string, FilterFactory>();

  constructor(kinds: Record<string, FilterFactory> = {}) {
    for (const [name, f] of Object.entries(kinds)) this.kinds.set(name, f);
  }

  define(name: string, factory: FilterFactory): void {
    this.kinds.set(name, factory);
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  /** Builds the predicate, or throws a clear error for an unknown kind or bad params. */
  predicate(spec: FilterSpec): Predicate {
    const factory = this.kinds.get(spec.name);
    if (!factory) {
      throw new RuntimeError(
        { code: "NO_SUCH_ENGINE", engine: `filter:${spec.name}` },
        `Cannot subscribe: unknown filter "${spec.name}" (known: ${this.names().join(", ")})`,
      );
    }
    return factory(spec.params);
  }
}

/** Filters every node understands: by topic (exact or prefix ending in "*") and by body field. */
export function standardFilters(): Record<string, FilterFactory> {
  return {
    topic: (params) => {
      const topics = toStringList(params, "topic");
      return (e) =>
        topics.some((t) => (t.endsWith("*") ? e.topic.startsWith(t.slice(0, -1)) : e.topic === t));
    },
    field: (params) => {
      const p = params as { path?: unknown; equals?: unknown } | undefined;
      if (!p || typeof p.path !== "string")
        throw new TypeError('filter "field" needs params { path, equals }');
      const path = p.path.split(".");
      const want = p.equals;
      return (e) => {
        let v: unknown = e.body;
        for (const k of path)
          v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
        return v === want;
      };
    },
  };
}

function toStringList(params: unknown, filter: string): string[] {
  const list = typeof params === "string" ? [params] : params;
  if (!Array.isArray(list) || list.length === 0 || !list.every((t) => typeof t === "string")) {
    throw new TypeError(`filter "${filter}" needs a topic or a list of topics`);
  }
  return list as string[];
}
