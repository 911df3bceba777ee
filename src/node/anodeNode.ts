import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ClassicLevel } from "classic-level";
import { apiEngine, createMetrics, ensureToken, type NodeInfo } from "../api";
import type { BootInfo } from "../boot";
import type { NodeOptions } from "../config";
import {
  API,
  LOGGER,
  loggerEngine,
  MEMPOOL,
  ROUTER,
  Router,
  routerEngine,
  TRANSPORT,
  transportEngine,
} from "../engines";
import type { Logger } from "../logging";
import {
  loadOrCreateIdentity,
  type NodeIdentity,
  P2PNode,
  systemClock,
  systemRng,
  WsTransport,
} from "../p2p";
import {
  BrokerClient,
  type ExitReason,
  FilterCatalog,
  isAbnormal,
  pubsubSpec,
  Registry,
  SubscriptionTable,
  Supervisor,
  spawn,
  standardFilters,
} from "../runtime";
import { type Database, EventLog, openDatabase } from "../storage";
import { VERSION } from "../version";

import type { Recovery } from "./recover";
import { txTreeSpec } from "./txTree";

function recoverySummary(r: Recovery) {
  const { pending, ...rest } = r;
  return { ...rest, pending: pending.length };
}

/** Engines other nodes may reach: calls get answers, casts are one-way. */
const REMOTE_ACCESS = {
  callable: new Set([ROUTER, MEMPOOL]),
  castable: new Set([ROUTER]),
};

export interface NodeModules {
  log: Logger;
  /** The LevelDB class; the packaged binary's boot layer passes its own. */
  Level?: typeof ClassicLevel;
  /** Which app bundle the boot layer chose, and why; reported on /v1/status. */
  boot?: BootInfo;
}

/**
 * Builds a node: opens its data directory, then starts the supervision tree in
 * dependency order (pubsub, then router, logger, the transaction subtree and services).
 * `close()` tears it down in reverse. If the root supervisor gives up, `onFatal` hears
 * of it so the process can exit and let its service manager restart it.
 */
export class AnodeNode {
  private fatalListeners = new Set<(reason: ExitReason) => void>();
  private restartCount = 0;
  private lastRecovery: Recovery | undefined;
  private closed = false;
  private boot: BootInfo | undefined;

  private constructor(
    readonly options: NodeOptions,
    readonly identity: NodeIdentity,
    private readonly db: Database,
    readonly registry: Registry,
    /** Every engine's mailer: local engines directly, other nodes over p2p. */
    readonly router: Router,
    readonly broker: BrokerClient,
    private readonly log: Logger,
    private root: Supervisor | undefined,
    readonly startedAt: number,
  ) {}

  static async create(options: NodeOptions, modules: NodeModules): Promise<AnodeNode> {
    const log = modules.log;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const identity = await loadOrCreateIdentity(options.dataDir);
    const db = await openDatabase(
      join(options.dataDir, "db"),
      modules.Level ? { Level: modules.Level } : {},
    );
    const registry = new Registry();
    const router = new Router(registry, identity.id, REMOTE_ACCESS);
    const broker = new BrokerClient(router);
    const node = new AnodeNode(
      options,
      identity,
      db,
      registry,
      router,
      broker,
      log,
      undefined,
      Date.now(),
    );
    node.boot = modules.boot;
    try {
      const token = await ensureToken(options.dataDir);
      const eventLog = await EventLog.open(db);
      const onRestart = (info: { supervisor: string; child: string }) => {
        node.restartCount++;
        log.warn("supervisor restarted a child", info);
      };
      const nodeInfo = () => node.info();
      const metrics = createMetrics(router, nodeInfo);
      const engine = (module: string) => ({ registry, mailer: router, log: log.child({ module }) });
      node.root = await Supervisor.start({
        name: "root",
        strategy: "one_for_all",
        maxRestarts: 3,
        periodMs: 30_000,
        log,
        onRestart,
        children: [
          pubsubSpec({
            registry,
            mailer: router,
            table: new SubscriptionTable(),
            catalog: new FilterCatalog(standardFilters()),
            log,
          }),
          {
            id: "node",
            start: () =>
              Supervisor.start({
                name: "node",
                strategy: "one_for_all",
                maxRestarts: 3,
                periodMs: 30_000,
                log,
                onRestart,
                children: [
                  { id: ROUTER, start: () => spawn(routerEngine, undefined, engine(ROUTER)) },
                  {
                    id: LOGGER,
                    start: () => spawn(loggerEngine, { log: eventLog, sync: true }, engine(LOGGER)),
                  },
                  txTreeSpec(
                    {
                      mempool: {
                        limits: { maxTxBytes: options.mempool.maxTxBytes },
                        maxPending: options.mempool.maxPending,
                        maxBlockTxs: options.node.maxBlockTxs,
                        blockIntervalMs: options.node.blockIntervalMs,
                      },
                      workers: options.executor.workers,
                      verifyOnStart: true,
                    },
                    {
                      db,
                      registry,
                      broker,
                      log: log.child({ module: "tx" }),
                      onRecovered: (r) => {
                        node.lastRecovery = r;
                      },
                    },
                  ),
                  {
                    id: "services",
                    start: () =>
                      Supervisor.start({
                        name: "services",
                        strategy: "one_for_one",
                        maxRestarts: 5,
                        periodMs: 30_000,
                        log,
                        onRestart,
                        children: [
                          {
                            id: TRANSPORT,
                            start: () =>
                              spawn(
                                transportEngine,
                                {
                                  router,
                                  broker,
                                  createP2P: (events) =>
                                    new P2PNode(
                                      {
                                        networkId: options.node.networkId,
                                        identity,
                                        listen: options.p2p.listen,
                                        peers: options.p2p.peers.map((p) => ({ ...p })),
                                        version: VERSION,
                                      },
                                      {
                                        transport: new WsTransport(),
                                        clock: systemClock,
                                        rng: systemRng,
                                        log: log.child({ module: "p2p" }),
                                      },
                                      events,
                                    ),
                                },
                                engine(TRANSPORT),
                              ),
                          },
                          {
                            id: API,
                            start: () =>
                              spawn(
                                apiEngine,
                                {
                                  host: options.api.host,
                                  port: options.api.port,
                                  deps: { mailer: router, broker, token, metrics, nodeInfo },
                                },
                                engine(API),
                              ),
                          },
                        ],
                      }),
                  },
                ],
              }),
          },
        ],
      });
      node.root.onExit((reason) => node.rootExited(reason));
      return node;
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** Called when the whole tree gave up (root restart intensity exceeded). */
  onFatal(listener: (reason: ExitReason) => void): void {
    this.fatalListeners.add(listener);
  }

  info(): NodeInfo {
    return {
      version: VERSION,
      nodeId: this.identity.id,
      networkId: this.options.node.networkId,
      p2pListen: this.options.p2p.listen,
      pid: process.pid,
      dataDir: this.options.dataDir,
      startedAt: this.startedAt,
      restarts: this.restartCount,
      engines: this.registry
        .versions()
        .map(({ name, version, status }) => ({ name, version, status })),
      ...(this.lastRecovery ? { recovery: recoverySummary(this.lastRecovery) } : {}),
      ...(this.boot ? { boot: this.boot } : {}),
    };
  }

  get restarts(): number {
    return this.restartCount;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root?.stop();
    await this.db.close();
    this.log.info("node stopped");
  }

  private rootExited(reason: ExitReason): void {
    if (this.closed || !isAbnormal(reason)) return;
    this.log.error("supervision tree gave up", { err: reason.error });
    for (const l of this.fatalListeners) l(reason);
  }
}
