import { defaultNodeOptions, type NodeOptions } from "../../src/config";
import { loadOrCreateIdentity } from "../../src/p2p";
import { freePort } from "./ports";
import { tempDir } from "./tempDir";

/**
 * Options for n in-process nodes that peer over loopback websockets and validate one
 * chain, "c0", with short timeouts. Each node's data directory is removed by `cleanup`.
 */
export async function chainNodeOptions(
  n: number,
  prefix: string,
  cleanup: (step: () => void) => void,
): Promise<NodeOptions[]> {
  const dirs = Array.from({ length: n }, () => tempDir(prefix));
  for (const d of dirs) cleanup(() => d.remove());
  const ids = dirs.map((d) => loadOrCreateIdentity(d.path));
  const ports = await Promise.all(dirs.map(() => freePort()));
  const apis = await Promise.all(dirs.map(() => freePort()));
  const validators = ids.map((id) => ({
    id: id.id,
    publicKey: Buffer.from(id.publicKey).toString("base64"),
    power: 1,
  }));
  return dirs.map((d, i) => ({
    ...defaultNodeOptions,
    dataDir: d.path,
    api: { ...defaultNodeOptions.api, port: apis[i] as number },
    p2p: {
      listen: `127.0.0.1:${ports[i]}`,
      peers: ports
        .slice(i + 1)
        .map((p, k) => ({ address: `127.0.0.1:${p}`, id: (ids[i + 1 + k] as { id: string }).id })),
    },
    consensus: {
      ...defaultNodeOptions.consensus,
      chains: [{ chainId: "c0", validators }],
      proposeTimeoutMs: 400,
      voteTimeoutMs: 200,
      timeoutDeltaMs: 100,
      emptyBlockIntervalMs: 100,
    },
  }));
}
