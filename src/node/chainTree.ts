import type { NodeOptions } from "../config";
import type { ChainSpec } from "../consensus";
import { LOGGER, MEMPOOL_GOSSIP_TOPIC, ScopedMailer } from "../engines";
import type { Logger } from "../logging";
import type { NodeIdentity } from "../p2p";
import {
  type Address,
  type BrokerClient,
  type ChildSpec,
  type Mailer,
  type ModuleTable,
  type Registry,
  Supervisor,
} from "../runtime";
import { type Database, EventLog } from "../storage";
import { txOptionsFor } from "./txOptionsFor";
import { txTreeSpec } from "./txTree";

export interface ChainTreeDeps {
  options: NodeOptions;
  identity: NodeIdentity;
  db: Database;
  /** This chain's own registry: its engines' names are scoped to it. */
  registry: Registry;
  /** The node's one module table: an upgrade reaches this chain's engines too. */
  modules: ModuleTable;
  router: Mailer & { isLocal(to: Address): boolean };
  broker: BrokerClient;
  log: Logger;
  onRestart(info: { supervisor: string; child: string }): void;
}

/**
 * A further chain this node follows: its own database, event log and transaction
 * engines, registered as `<engine>@<chainId>`, beside the first chain's.
 */
export function chainTreeSpec(chain: ChainSpec, deps: ChainTreeDeps): ChildSpec {
  const mailer = new ScopedMailer(deps.registry, deps.router);
  const log = deps.log.child({ module: "chain", chainId: chain.chainId });
  return {
    id: `chain:${chain.chainId}`,
    start: async () => {
      const eventLog = await EventLog.open(deps.db);
      return Supervisor.start({
        name: `chain:${chain.chainId}`,
        strategy: "one_for_all",
        maxRestarts: 3,
        periodMs: 30_000,
        log,
        onRestart: deps.onRestart,
        children: [
          {
            id: LOGGER,
            start: () =>
              deps.modules.start(
                LOGGER,
                { log: eventLog, sync: true },
                { registry: deps.registry, mailer, log, scope: chain.chainId },
              ),
          },
          txTreeSpec(
            txOptionsFor(
              deps.options,
              chain,
              deps.identity,
              `${MEMPOOL_GOSSIP_TOPIC}@${chain.chainId}`,
            ),
            {
              db: deps.db,
              registry: deps.registry,
              modules: deps.modules,
              mailer,
              broker: deps.broker,
              log,
              onRecovered: () => {},
            },
          ),
        ],
      });
    },
  };
}
