import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BINARY_LAYER, HOST_API_VERSION } from "../../../../src/boot";
import { defaultUpgradeOptions } from "../../../../src/config";
import { OPERATOR, type UpgradeStatus, upgradeEngine } from "../../../../src/engines";
import { type Engine, type Mailer, ModuleTable, Registry, spawn } from "../../../../src/runtime";
import {
  canonicalJson,
  describeArtifact,
  generateSigningKey,
  type SignedManifest,
  type SigningKey,
  signManifest,
  trustedKeyOf,
} from "../../../../src/upgrade";
import { tempDir } from "../../../support/tempDir";

const CHUNK = 16 * 1024;

function release(version: string, bytes: Uint8Array, key: SigningKey): SignedManifest {
  const now = Date.now();
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version,
    channel: "stable" as const,
    createdAt: new Date(now - 1000).toISOString(),
    expiresAt: new Date(now + 86_400_000).toISOString(),
    artifacts: [
      {
        kind: "app" as const,
        platform: "any" as const,
        name: "app.cjs",
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
        ...describeArtifact(bytes, CHUNK),
      },
    ],
  };
  return { manifest, signatures: [signManifest(manifest, key)] };
}

type PeerBehaviour = (
  m: { index: number; offset: number; length: number },
  good: Uint8Array,
  foreign: Uint8Array,
) => unknown;

/** Peers as plain functions behind a Mailer: each answers `have` with everything. */
function network(
  registry: Registry,
  peers: Record<string, PeerBehaviour>,
  good: Uint8Array,
  foreign: Uint8Array,
): Mailer {
  return {
    call(to, msg, timeoutMs = 5000) {
      const m = msg as {
        type: string;
        version?: string;
        index: number;
        offset: number;
        length: number;
      };
      if (to.node !== undefined) {
        const peer = peers[to.node];
        if (peer === undefined) return Promise.reject(new Error("unreachable"));
        if (m.type === "have") {
          const n = Math.ceil(good.byteLength / CHUNK);
          return Promise.resolve({
            version: m.version,
            artifacts: { "app.cjs": [...Array(n).keys()] },
          });
        }
        const reply = peer(m, good, foreign);
        if (reply === undefined) {
          return new Promise((_, reject) =>
            setTimeout(
              () =>
                reject(
                  new Error(`Cannot call upgrade on ${to.node}: no reply within ${timeoutMs} ms`),
                ),
              timeoutMs,
            ),
          );
        }
        return Promise.resolve(reply);
      }
      if (to.engine === "transport") {
        if (m.type === "peers") return Promise.resolve(Object.keys(peers).map((id) => ({ id })));
        return Promise.resolve([]);
      }
      return registry.call(to, msg, timeoutMs);
    },
    cast(to, msg) {
      if (to.node === undefined && to.engine !== "transport") registry.cast(to, msg);
    },
    send(to, msg) {
      if (to.node === undefined) registry.send(to, msg);
    },
  };
}

const slice = (b: Uint8Array, m: { index: number; offset: number; length: number }) =>
  b.subarray(m.index * CHUNK + m.offset, m.index * CHUNK + m.offset + m.length);

const behaviours: Record<string, PeerBehaviour> = {
  honest: (m, good) => ({ data: slice(good, m) }),
  corrupt: (m, good) => {
    const d = new Uint8Array(slice(good, m));
    d[0] = (d[0] ?? 0) ^ 0xff;
    return { data: d };
  },
  foreign: (m, _good, foreign) => ({ data: slice(foreign, m) }),
  oversized: (m, good) => ({
    data: new Uint8Array(Buffer.concat([slice(good, m), Buffer.alloc(1)])),
  }),
  // A peer that trickles (1 byte a second): its reply never completes in the deadline.
  slow: () => undefined,
};

describe("upgrade engine against hostile peers", () => {
  const dirs: Array<{ remove(): void }> = [];
  const engines: Engine<unknown>[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) d.remove();
  });

  async function start(
    dataDir: string,
    key: SigningKey,
    peers: Record<string, PeerBehaviour>,
    good: Uint8Array,
    foreign: Uint8Array,
  ) {
    const registry = new Registry();
    const engine = await spawn(
      upgradeEngine,
      {
        options: {
          ...defaultUpgradeOptions,
          policy: "notify",
          maxParallelFetches: 16,
          trustedKeys: { threshold: 1, keys: [trustedKeyOf(key)] },
        },
        dataDir,
        nodeId: "self",
        modules: new ModuleTable(),
        broker: {
          subscribe: async () => "",
          unsubscribeEngine: async () => {},
          publish: () => {},
        } as never,
        platform: "linux-x64",
        binary: { path: undefined, owner: undefined },
        exit: () => {},
      },
      { registry, mailer: network(registry, peers, good, foreign) },
    );
    engines.push(engine as Engine<unknown>);
    const op = (msg: Record<string, unknown>) => engine.call({ ...msg, op: OPERATOR }, 10_000);
    return { engine, op };
  }

  it("fetches every chunk from the honest peer, penalises each bad one with its reason, and changes nothing outside the staging area", async () => {
    const dir = tempDir("anode-upgrade-hostile-");
    dirs.push(dir);
    const key = generateSigningKey("k");
    const good = new Uint8Array(randomBytes(CHUNK * 6 + 100));
    const foreign = new Uint8Array(randomBytes(good.byteLength));
    const { op } = await start(dir.path, key, behaviours, good, foreign);
    await op({ type: "publish", signed: canonicalJson(release("0.2.0", good, key)) });
    let s: UpgradeStatus | undefined;
    const deadline = Date.now() + 20_000;
    for (;;) {
      s = (await op({ type: "status" })) as UpgradeStatus;
      if (s.releases[0]?.status === "verified") break;
      if (Date.now() > deadline) throw new Error(`not verified: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Object.keys(s.releases[0]?.sources ?? {})).toEqual(["honest"]);
    const codes = new Set(s.refusals.map((r) => `${r.reason.split(":")[0]} ${r.code}`));
    expect(codes).toContain("peer corrupt PEER_BAD_HASH");
    expect(codes).toContain("peer foreign PEER_BAD_HASH");
    expect(codes).toContain("peer oversized PEER_OVERSIZED");
    expect(codes).toContain("peer slow PEER_SLOW");
    const banned = Object.fromEntries(s.peers.map((p) => [p.id, p.banned]));
    expect(banned).toMatchObject({ corrupt: true, foreign: true, oversized: true, honest: false });
    expect(readdirSync(dir.path)).toEqual(["upgrade"]);
  }, 30_000);

  it("refuses an older signed release replayed after a restart, and bad manifests, with no change outside staging", async () => {
    const dir = tempDir("anode-upgrade-replay-");
    dirs.push(dir);
    const key = generateSigningKey("k");
    const bytes = new Uint8Array(randomBytes(CHUNK));
    const first = await start(
      dir.path,
      key,
      { honest: behaviours.honest as PeerBehaviour },
      bytes,
      bytes,
    );
    await first.op({ type: "publish", signed: canonicalJson(release("0.3.0", bytes, key)) });
    await first.engine.stop();

    const again = await start(
      dir.path,
      key,
      { honest: behaviours.honest as PeerBehaviour },
      bytes,
      bytes,
    );
    const refused = (input: string) =>
      again.op({ type: "publish", signed: input }).then(
        () => "accepted",
        (e: Error) => e.message,
      );
    expect(await refused(canonicalJson(release("0.2.5", bytes, key)))).toMatch(
      /not newer than 0.3.0/,
    );
    expect(
      await refused(canonicalJson(release("0.4.0", bytes, generateSigningKey("stranger")))),
    ).toMatch(/keys this node does not trust/);
    const other = release("0.3.0", new Uint8Array(randomBytes(CHUNK)), key);
    expect(await refused(canonicalJson(other))).toMatch(/equivocation/);
    const s = (await again.op({ type: "status" })) as UpgradeStatus;
    expect(s.bad["0.3.0"]).toMatch(/equivocation/);
    expect(s.alerts.map((a) => a.code)).toContain("EQUIVOCATION");
    expect(readdirSync(dir.path)).toEqual(["upgrade"]);
  }, 30_000);
});
