import { BROKER_ENGINE, type BrokerEvent, brokerEngine, filterAgentName } from "./broker";
import { filterAgentEngine } from "./filterAgent";
import type { FilterCatalog } from "./filterCatalog";
import {
  FILTER_REGISTRY_ENGINE,
  type FilterRegistryCall,
  filterRegistryEngine,
} from "./filterRegistry";
import { ModuleTable } from "./moduleTable";
import type { Registry } from "./registry";
import type { FilterSpec, Subscriber, SubscriptionTable } from "./subscriptionTable";
import { type ChildSpec, Supervisor } from "./supervisor";
import type { Mailer, RuntimeLogger } from "./types";

export interface PubSubOptions {
  registry: Registry;
  table: SubscriptionTable;
  catalog: FilterCatalog;
  mailer?: Mailer;
  log?: RuntimeLogger;
  /**
   * Where the broker, filter registry and filter agents start from; the runtime's own
   * modules join it if absent, so an app release can replace them like any engine.
   */
  modules?: ModuleTable;
}

/**
 * The pubsub subtree: broker, filter agents (a dynamic supervisor of transient children)
 * and the filter registry, one_for_all so that they always restart together.
 */
export function pubsubSpec(opts: PubSubOptions): ChildSpec {
  const modules = opts.modules ?? new ModuleTable();
  modules.provide([brokerEngine, filterRegistryEngine, filterAgentEngine]);
  const base = {
    registry: opts.registry,
    ...(opts.mailer ? { mailer: opts.mailer } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  };
  let filters: Supervisor | undefined;
  const need = (): Supervisor => {
    if (!filters) throw new Error("filter supervisor is not running");
    return filters;
  };
  return {
    id: "pubsub",
    start: () =>
      Supervisor.start({
        name: "pubsub",
        strategy: "one_for_all",
        maxRestarts: 3,
        periodMs: 5000,
        ...(opts.log ? { log: opts.log } : {}),
        children: [
          {
            id: BROKER_ENGINE,
            start: () => modules.start(BROKER_ENGINE, { table: opts.table }, base),
          },
          {
            id: "filters",
            start: async () => {
              filters = await Supervisor.start({
                name: "filters",
                strategy: "one_for_one",
                maxRestarts: 5,
                periodMs: 5000,
              });
              return filters;
            },
          },
          {
            id: FILTER_REGISTRY_ENGINE,
            start: () =>
              modules.start(
                FILTER_REGISTRY_ENGINE,
                {
                  table: opts.table,
                  catalog: opts.catalog,
                  startAgent: async (key: string) => {
                    await need().startChild({
                      id: key,
                      restart: "transient",
                      start: () =>
                        modules.start(
                          filterAgentEngine.name,
                          { key, table: opts.table, catalog: opts.catalog },
                          { ...base, name: filterAgentName(key) },
                        ),
                    });
                  },
                  stopAgent: (key: string) => need().terminateChild(key),
                },
                base,
              ),
          },
        ],
      }),
  };
}

/** What publishers and subscribers use; hides which engines implement the broker. */
export class BrokerClient {
  constructor(private readonly mailer: Mailer) {}

  publish(event: BrokerEvent): void {
    this.mailer.cast({ engine: BROKER_ENGINE }, { type: "publish", event });
  }

  async subscribe(chain: FilterSpec[], subscriber: Subscriber): Promise<string> {
    const msg: FilterRegistryCall = { type: "subscribe", chain, subscriber };
    const r = (await this.mailer.call({ engine: FILTER_REGISTRY_ENGINE }, msg)) as { key: string };
    return r.key;
  }

  async unsubscribe(chain: FilterSpec[], subscriber: Subscriber): Promise<void> {
    const msg: FilterRegistryCall = { type: "unsubscribe", chain, subscriber };
    await this.mailer.call({ engine: FILTER_REGISTRY_ENGINE }, msg);
  }

  async unsubscribeEngine(engine: string): Promise<void> {
    const msg: FilterRegistryCall = { type: "unsubscribeEngine", engine };
    await this.mailer.call({ engine: FILTER_REGISTRY_ENGINE }, msg);
  }

  async agents(): Promise<string[]> {
    const msg: FilterRegistryCall = { type: "agents" };
    return (await this.mailer.call({ engine: FILTER_REGISTRY_ENGINE }, msg)) as string[];
  }
}
