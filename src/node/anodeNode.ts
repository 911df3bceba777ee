import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ClassicLevel } from "classic-level";
import { type ApiArgs, createMetrics, ensureToken, type NodeInfo } from "../api";
import type { BootInfo } from "../boot";
import type { NodeOptions } from "../config";
// upgrade (issue 5): the upgrade engine under `services`, reachable by peers for chunks.
import type { ChainSpec } from "../consensus";
import {
  API,
  CONSENSUS,
  Directory,
  EQUIVOCATION_TOPIC,
  LOGGER,
  MEMPOOL_GOSSIP_TOPIC,
  type ProcessMemo,
  RELEASE_TOPIC,
  ROUTER,
  Router,
  TRANSPORT,
  type TransportArgs,
  UPGRADE,
  upgradeSpec,
} from "../engines";
import type { Logger } from "../logging";
import { loadOrCreateIdentity, type NodeIdentity, type P2PTunables } from "../p2p";
import {
  BrokerClient,
  type ExitReason,
  FilterCatalog,
  isAbnormal,
  ModuleTable,
  pubsubSpec,
  Registry,
  SubscriptionTable,
  Supervisor,
  standardFilters,
} from "../runtime";
import { type Database, EventLog, openDatabase } from "../storage";
import type { TrustedKeys } from "../upgrade";
import { VERSION } from "../version";
import { chainFromConfig } from "./chainFromConfig";
import { chainTreeSpec } from "./chainTree";
import { engineModules } from "./engineModules";
import type { Recovery } from "./recover";
import { txOptionsFor } from "./txOptionsFor";
import { txTreeSpec } from "./txTree";

function recoverySummary(r: Recovery) {
  const { pending, ...rest } = r;
  return { ...rest, pending: pending.length };
}

/** Engines other nodes may reach: calls get answers, casts are one-way. */
const REMOTE_ACCESS = {
  callable: new Set([ROUTER, CONSENSUS, UPGRADE]),
  // consensus: the vote sync's frames to a neighbour (see docs/consensus.md)
  castable: new Set([ROUTER, CONSENSUS]),
};

export interface NodeModules {
  log: Logger;
  /** The LevelDB class; the packaged binary's boot layer passes its own. */
  Level?: typeof ClassicLevel;
  /** Which app bundle the boot layer chose, and why; reported on /v1/status. */
  boot?: BootInfo;
  /** Release keys compiled into the binary, for the upgrade engine (issue 5). */
  trust?: TrustedKeys;
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
  /** Restarts by the child's id in its supervisor (an engine, or a subtree). */
  private readonly restartsByChild = new Map<string, number>();
  private lastRecovery: Recovery | undefined;
  private extraDbs: Database[] = [];
  private closed = false;
  private boot: BootInfo | undefined;

  private constructor(
    readonly options: NodeOptions,
    readonly identity: NodeIdentity,
    private readonly db: Database,
    readonly registry: Registry,
    /** The module every engine runs: supervisors start and restart engines from it. */
    readonly modules: ModuleTable,
    /** Every engine's mailer: local engines directly, other nodes over p2p. */
    readonly router: Router,
    readonly broker: BrokerClient,
    private readonly log: Logger,
    private root: Supervisor | undefined,
    readonly startedAt: number,
  ) {}

  static async create(options: NodeOptions, modules: NodeModules): Promise<AnodeNode> {
    const log = modules.log;
    // The first configured chain drives this node's state; none means single-node blocks.
    const chainSetting = options.consensus.chains[0];
    const chain = chainSetting ? chainFromConfig(chainSetting) : undefined;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const identity = await loadOrCreateIdentity(options.dataDir);
    const db = await openDatabase(
      join(options.dataDir, "db"),
      modules.Level ? { Level: modules.Level } : {},
    );
    const registry = new Registry();
    const table = new ModuleTable(Object.values(engineModules));
    const directory = new Directory(registry, chain?.chainId);
    const router = new Router(directory, identity.id, REMOTE_ACCESS);
    // Further chains: each with its own database and registry, `<engine>@<chainId>`.
    const extraChains: Array<{ spec: ChainSpec; db: Database; registry: Registry }> = [];
    try {
      for (const setting of options.consensus.chains.slice(1)) {
        const spec = chainFromConfig(setting);
        const chainDb = await openDatabase(
          join(options.dataDir, "chains", spec.chainId, "db"),
          modules.Level ? { Level: modules.Level } : {},
        );
        const scope = new Registry();
        directory.addScope(spec.chainId, scope);
        extraChains.push({ spec, db: chainDb, registry: scope });
      }
    } catch (err) {
      for (const c of extraChains) await c.db.close();
      await db.close();
      throw err;
    }
    const broker = new BrokerClient(router);
    const node = new AnodeNode(
      options,
      identity,
      db,
      registry,
      table,
      router,
      broker,
      log,
      undefined,
      Date.now(),
    );
    node.boot = modules.boot;
    node.extraDbs = extraChains.map((c) => c.db);
    try {
      const token = await ensureToken(options.dataDir);
      if (options.api.privateNetwork)
        log.warn(
          "control API may listen on a private network: whoever there holds the token controls this node",
          {
            host: options.api.host,
          },
        );
      const eventLog = await EventLog.open(db);
      const onRestart = (info: { supervisor: string; child: string }) => {
        node.restartCount++;
        node.restartsByChild.set(info.child, (node.restartsByChild.get(info.child) ?? 0) + 1);
        log.warn("supervisor restarted a child", info);
      };
      const nodeInfo = () => node.info();
      const metrics = createMetrics(router, nodeInfo);
      const engine = (module: string) => ({ registry, mailer: router, log: log.child({ module }) });
      const start = (name: string, args: unknown) => table.start(name, args, engine(name));
      // Outlives restarts of the tree: what the upgrade engine runs in this process.
      const upgradeMemo: ProcessMemo = {};
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
            modules: table,
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
                  { id: ROUTER, start: () => start(ROUTER, undefined) },
                  {
                    id: LOGGER,
                    start: () => start(LOGGER, { log: eventLog, sync: true }),
                  },
                  txTreeSpec(txOptionsFor(options, chain, identity, MEMPOOL_GOSSIP_TOPIC), {
                    db,
                    registry,
                    modules: table,
                    mailer: router,
                    broker,
                    log: log.child({ module: "tx" }),
                    onRecovered: (r) => {
                      node.lastRecovery = r;
                    },
                  }),
                  ...extraChains.map(({ spec, db: chainDb, registry: scope }) =>
                    chainTreeSpec(spec, {
                      options,
                      identity,
                      db: chainDb,
                      registry: scope,
                      modules: table,
                      router,
                      broker,
                      log,
                      onRestart,
                    }),
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
                              start(TRANSPORT, {
                                router,
                                broker,
                                log: log.child({ module: "p2p" }),
                                p2p: {
                                  networkId: options.node.networkId,
                                  identity,
                                  listen: options.p2p.listen,
                                  peers: options.p2p.peers.map((p) => ({ ...p })),
                                  ...p2pTunables(options.p2p),
                                  version: VERSION,
                                  // Relayed only once the upgrade engine verified them.
                                  validatedTopics: [RELEASE_TOPIC, EQUIVOCATION_TOPIC],
                                },
                              } satisfies TransportArgs),
                          },
                          {
                            id: API,
                            start: () =>
                              start(API, {
                                host: options.api.host,
                                port: options.api.port,
                                deps: { mailer: router, broker, token, metrics, nodeInfo },
                              } satisfies ApiArgs),
                          },
                          upgradeSpec({
                            options,
                            nodeId: identity.id,
                            registry,
                            modules: table,
                            mailer: router,
                            broker,
                            log,
                            boot: modules.boot,
                            trust: modules.trust,
                            Level: modules.Level,
                            memo: upgradeMemo,
                          }),
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
      for (const c of extraChains) await c.db.close();
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
      restartsByChild: Object.fromEntries(this.restartsByChild),
      engines: this.registry
        .versions()
        .map(({ name, version, status, mailbox }) => ({ name, version, status, mailbox })),
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
    for (const extra of this.extraDbs) await extra.close();
    await this.db.close();
    this.log.info("node stopped");
  }

  private rootExited(reason: ExitReason): void {
    if (this.closed || !isAbnormal(reason)) return;
    this.log.error("supervision tree gave up", { err: reason.error });
    for (const l of this.fatalListeners) l(reason);
  }
}

/** The p2p tunables an operator set (config fills every one; options built in code may not). */
function p2pTunables(p2p: NodeOptions["p2p"]): Partial<P2PTunables> {
  const out: { -readonly [K in keyof P2PTunables]?: P2PTunables[K] } = {};
  if (p2p.pex !== undefined) out.pex = p2p.pex;
  if (p2p.targetOutboundPeers !== undefined) out.targetOutboundPeers = p2p.targetOutboundPeers;
  if (p2p.maxAddressBook !== undefined) out.maxAddressBook = p2p.maxAddressBook;
  if (p2p.gossip !== undefined) out.gossipMode = p2p.gossip;
  if (p2p.meshDegree !== undefined) out.meshDegree = p2p.meshDegree;
  if (p2p.meshDegreeLow !== undefined) out.meshDegreeLow = p2p.meshDegreeLow;
  if (p2p.meshDegreeHigh !== undefined) out.meshDegreeHigh = p2p.meshDegreeHigh;
  return out;
}
