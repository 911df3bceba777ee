import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadP2P } from "../../lazy";
import { netnsHost, type TestnetNetwork } from "./netns";
import { planTestnet } from "./planTestnet";
import { chainSpecs, type NodeKey, peering } from "./testnetLayout";
import type { TestnetNode, TestnetState } from "./testnetState";
import { testnetTimeouts } from "./testnetTimeouts";

export interface CreateOptions {
  nodes: number;
  degree: number;
  basePort: number;
  networkId: string;
  validators?: number;
  chains: number;
  /** With `--netns`: each node on its own address in its own namespace. */
  net?: TestnetNetwork;
}

/** Writes every node's identity and config under `dir`; starts nothing. */
export async function createTestnet(o: CreateOptions, dir: string): Promise<TestnetState> {
  const n = o.nodes;
  const net = o.net;
  const plan = planTestnet(n, o.degree, o.basePort).map((p) =>
    net === undefined ? p : { ...p, host: netnsHost(net.prefix, p.index) },
  );
  await mkdir(dir, { recursive: true });
  const keys: NodeKey[] = [];
  const { loadOrCreateIdentity } = await loadP2P();
  for (const p of plan) {
    const nodeDir = join(dir, `node-${p.index}`);
    await mkdir(nodeDir, { recursive: true, mode: 0o700 });
    const identity = loadOrCreateIdentity(nodeDir);
    keys.push({ id: identity.id, publicKey: Buffer.from(identity.publicKey).toString("base64") });
  }
  const chains = chainSpecs(keys, o.validators, o.chains);
  const links = peering(plan, keys);
  const votes = chains.reduce((sum, c) => sum + c.validators.length, 0);
  const { scale, ...timeouts } = testnetTimeouts(n, votes);
  const nodes: TestnetNode[] = [];
  for (const p of plan) {
    const nodeDir = join(dir, `node-${p.index}`);
    const config = {
      dataDir: ".",
      // In a namespace the host reaches the API over the testnet's own bridge.
      api: {
        host: p.host,
        port: p.apiPort,
        ...(net === undefined ? {} : { privateNetwork: true }),
      },
      node: { networkId: o.networkId },
      ...(chains.length === 0 ? {} : { consensus: { ...timeouts, chains } }),
      p2p: {
        listen: `${p.host}:${p.p2pPort}`,
        peers: links[p.index]?.peers ?? [],
      },
    };
    const configFile = join(nodeDir, "config.json");
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
    nodes.push({
      index: p.index,
      id: (keys[p.index] as NodeKey).id,
      host: p.host,
      p2pPort: p.p2pPort,
      apiPort: p.apiPort,
      dir: nodeDir,
      config: configFile,
      log: join(nodeDir, "node.log"),
      pid: null,
      neighbours: links[p.index]?.neighbours ?? [],
      ...(net === undefined ? {} : { netns: net.namespaces[p.index] }),
    });
  }
  return {
    networkId: o.networkId,
    createdAt: new Date().toISOString(),
    ...(scale > 1 ? { timeoutScale: scale } : {}),
    nodes,
    ...(net === undefined ? {} : { net }),
  };
}
