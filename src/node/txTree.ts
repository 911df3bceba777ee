import {
  CONSENSUS,
  type ConsensusArgs,
  EXECUTOR,
  type ExecutorArgs,
  MEMPOOL,
  type MempoolArgs,
  type MempoolOptions,
  nodeEvent,
  ORDERING,
  STORAGE,
  type StorageModule,
  WORKER,
  type WorkerArgs,
} from "../engines";
import type { Logger } from "../logging";
import {
  type BrokerClient,
  type ChildSpec,
  isAbnormal,
  type Mailer,
  type ModuleTable,
  type Registry,
  Supervisor,
} from "../runtime";
import { type Database, VersionedStore } from "../storage";
import { type Recovery, recover } from "./recover";

export interface TxTreeOptions {
  mempool: MempoolOptions;
  /** Under consensus, the chain this subtree's state follows; without, single-node blocks. */
  consensus?: Omit<ConsensusArgs, "store" | "broker">;
  workers: number;
  /** Recompute the state root from the data on every (re)start and compare with the checkpoint. */
  verifyOnStart: boolean;
}

export interface TxTreeDeps {
  db: Database;
  registry: Registry;
  /** Every engine starts (and restarts) from the table's current module. */
  modules: ModuleTable;
  /** What the engines send through: the router, so remote calls work from any of them. */
  mailer: Mailer;
  broker: BrokerClient;
  log: Logger;
  /** Told the outcome of every recovery, for status reports. */
  onRecovered(recovery: Recovery): void;
}

/**
 * The transaction subtree. Each start (the first, and every restart after a crash) opens
 * the persisted state afresh, checks it against its checkpoint, replays the event log
 * after that checkpoint and only then starts the engines: storage, ordering, and the
 * mempool subtree (mempool, executor, workers). Both supervisors allow no restart of
 * their own: any crash fails upward so the node restarts the whole pipeline from disk.
 */
export function txTreeSpec(opts: TxTreeOptions, deps: TxTreeDeps): ChildSpec {
  const { registry, log, modules } = deps;
  const consensus = opts.consensus;
  // A restart must not open the store before the previous incarnation has closed it.
  let previousClose: Promise<void> = Promise.resolve();
  return {
    id: "tx",
    start: async () => {
      await previousClose;
      // The chain these engines serve: an upgrade activated at its height changes them only.
      const scope = consensus?.chain.chainId;
      // Opened by the current storage module, so a restart after an upgrade runs the new
      // store code (see StorageModule).
      const storage = modules.module(STORAGE, scope) as Partial<StorageModule>;
      const store = await (storage.openStore ?? ((db: Database) => VersionedStore.open(db)))(
        deps.db,
      );
      const chain =
        consensus === undefined
          ? undefined
          : { chainId: consensus.chain.chainId, genesis: consensus.chain.validators };
      const recovery = await recover(store, store.log, {
        verify: opts.verifyOnStart,
        ...(chain === undefined ? {} : { chain }),
      }).catch(async (err: unknown) => {
        await store.close();
        throw err;
      });
      deps.onRecovered(recovery);
      log.info("state recovered", {
        height: recovery.height,
        root: recovery.root,
        checkpointHeight: recovery.checkpointHeight,
        replayedBlocks: recovery.replayedBlocks,
        replayedEntries: recovery.replayedEntries,
        pending: recovery.pending.length,
      });
      deps.broker.publish(
        nodeEvent("node.recovered", {
          height: store.height,
          root: store.root,
          replayedBlocks: recovery.replayedBlocks,
          pending: recovery.pending.length,
        }),
      );
      const engine = (module: string) => ({
        registry,
        mailer: deps.mailer,
        log: log.child({ module }),
        ...(scope !== undefined ? { scope } : {}),
      });
      let workers: Supervisor | undefined;
      const sup = await Supervisor.start({
        name: "tx",
        strategy: "one_for_all",
        maxRestarts: 0,
        log,
        children: [
          { id: STORAGE, start: () => modules.start(STORAGE, { store }, engine(STORAGE)) },
          {
            id: ORDERING,
            start: () =>
              modules.start(
                ORDERING,
                { height: store.height, broker: deps.broker },
                engine(ORDERING),
              ),
          },
          {
            id: "mempool-sup",
            start: () =>
              Supervisor.start({
                name: "mempool",
                strategy: "one_for_all",
                maxRestarts: 0,
                log,
                children: [
                  {
                    id: "workers",
                    start: async () => {
                      workers = await Supervisor.start({
                        name: "workers",
                        strategy: "one_for_one",
                        log,
                      });
                      return workers;
                    },
                  },
                  {
                    id: EXECUTOR,
                    start: () =>
                      modules.start(
                        EXECUTOR,
                        {
                          store,
                          broker: deps.broker,
                          workers: opts.workers,
                          ...(chain === undefined ? {} : { chain }),
                          startWorker: async (args: WorkerArgs) => {
                            if (!workers) throw new Error("workers supervisor is not running");
                            const child = await workers.startChild({
                              restart: "temporary",
                              start: () =>
                                modules.start(WORKER, args, {
                                  ...(scope !== undefined ? { scope } : {}),
                                  mailer: deps.mailer,
                                  log: log.child({ module: WORKER }),
                                }),
                            });
                            child.onExit((reason) => {
                              if (isAbnormal(reason)) {
                                registry.cast(
                                  { engine: EXECUTOR },
                                  {
                                    type: "workerCrashed",
                                    height: args.height,
                                    error: String(reason.error),
                                  },
                                );
                              }
                            });
                          },
                        } satisfies ExecutorArgs,
                        engine(EXECUTOR),
                      ),
                  },
                  {
                    id: MEMPOOL,
                    start: () =>
                      modules.start(
                        MEMPOOL,
                        {
                          options: opts.mempool,
                          store,
                          broker: deps.broker,
                          recovered: recovery.pending,
                        } satisfies MempoolArgs,
                        engine(MEMPOOL),
                      ),
                  },
                ],
              }),
          },
          // Last: it proposes from the mempool and hands decisions to ordering.
          ...(consensus
            ? [
                {
                  id: CONSENSUS,
                  start: () =>
                    modules.start(
                      CONSENSUS,
                      { ...consensus, store, broker: deps.broker } satisfies ConsensusArgs,
                      engine(CONSENSUS),
                    ),
                },
              ]
            : []),
        ],
      }).catch(async (err: unknown) => {
        await store.close();
        throw err;
      });
      // The store belongs to this incarnation of the subtree: close it when the subtree ends.
      sup.onExit(() => {
        previousClose = store.close();
      });
      return sup;
    },
  };
}
