import type { EngineModule } from "./engineModule";
import type { FilterCatalog } from "./filterCatalog";
import {
  chainKey,
  type FilterSpec,
  type Subscriber,
  type SubscriptionTable,
  subscriberKey,
} from "./subscriptionTable";

export const FILTER_REGISTRY_ENGINE = "filters.registry";

export interface FilterRegistryArgs {
  table: SubscriptionTable;
  catalog: FilterCatalog;
  startAgent(key: string): Promise<void>;
  stopAgent(key: string): Promise<void>;
}

export type FilterRegistryCall =
  | { type: "subscribe"; chain: FilterSpec[]; subscriber: Subscriber }
  | { type: "unsubscribe"; chain: FilterSpec[]; subscriber: Subscriber }
  | { type: "unsubscribeEngine"; engine: string }
  | { type: "agents" };

type State = FilterRegistryArgs;

/**
 * Starts a filter agent for each new chain prefix on demand and stops agents whose last
 * subscriber left. Identical chains (and shared prefixes) share agents.
 */
export const filterRegistryEngine: EngineModule<State, FilterRegistryArgs> = {
  name: FILTER_REGISTRY_ENGINE,
  version: "1.0.0",
  async init(args) {
    // After a restart of the pubsub subtree the table still holds every chain.
    for (const key of args.table.filterKeys()) await args.startAgent(key);
    return args;
  },
  async handleCall(msg, from, state, ctx) {
    const m = msg as FilterRegistryCall;
    switch (m.type) {
      case "subscribe": {
        try {
          for (const f of m.chain) state.catalog.predicate(f);
        } catch (err) {
          ctx.replyError(from, err);
          return { noreply: true, state };
        }
        const { key, created } = state.table.ensure(m.chain);
        state.table.get(key)?.subscribers.set(subscriberKey(m.subscriber), m.subscriber);
        for (const k of created) await state.startAgent(k);
        return { reply: { key }, state };
      }
      case "unsubscribe": {
        const key = chainKey(m.chain);
        state.table.get(key)?.subscribers.delete(subscriberKey(m.subscriber));
        const removed = state.table.prune(key);
        for (const k of removed) await state.stopAgent(k);
        return { reply: { removed: removed.length }, state };
      }
      case "unsubscribeEngine": {
        const removed = state.table.removeEverywhere((s) => s.address.engine === m.engine);
        for (const k of removed) await state.stopAgent(k);
        return { reply: { removed: removed.length }, state };
      }
      case "agents":
        return { reply: state.table.filterKeys(), state };
      default:
        return { reply: undefined, state };
    }
  },
};
