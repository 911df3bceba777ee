import { type BrokerEvent, fanOut } from "./broker";
import type { EngineModule } from "./engineModule";
import type { FilterCatalog, Predicate } from "./filterCatalog";
import type { SubscriptionTable } from "./subscriptionTable";

export interface FilterAgentArgs {
  key: string;
  table: SubscriptionTable;
  catalog: FilterCatalog;
}

interface FilterAgentState {
  key: string;
  table: SubscriptionTable;
  predicate: Predicate;
  passed: number;
}

/** One link of a filter chain, shared by every subscriber whose chain starts with it. */
export const filterAgentEngine: EngineModule<FilterAgentState, FilterAgentArgs> = {
  name: "filter",
  version: "1.0.0",
  init({ key, table, catalog }) {
    const node = table.get(key);
    if (!node?.filter) throw new Error(`no filter chain ${key}`);
    return { key, table, predicate: catalog.predicate(node.filter), passed: 0 };
  },
  handleCast(msg, state, ctx) {
    const event = (msg as { event?: BrokerEvent }).event;
    if (!event || !state.predicate(event)) return state;
    fanOut(state.table, state.key, event, ctx);
    return { ...state, passed: state.passed + 1 };
  },
};
