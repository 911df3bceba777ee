import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY_LAYER, HOST_API_VERSION } from "../../src/boot";
import { describeArtifact, type SignedManifest, signManifest } from "../../src/upgrade";
import { runCli } from "./nodeProcess";
import { freePort } from "./ports";
import { eventually, killPids, nodeApi, readTestnetState, type TestnetNodeInfo } from "./testnet";
import type { ReleaseKey } from "./upgradeRelease";

/**
 * A signed release of one `size`-byte artifact of random bytes, in its own folder. It is
 * an app artifact so that nodes run from source take it; the benchmarks run the nodes
 * with policy `notify`, so it is fetched and verified but never evaluated.
 */
export function randomRelease(
  dir: string,
  o: { version: string; size: number; key: ReleaseKey },
): { manifestFile: string; artifactFile: string; signed: SignedManifest; bytes: Uint8Array } {
  const out = join(dir, `release-${o.version}`);
  mkdirSync(out, { recursive: true });
  const bytes = new Uint8Array(randomBytes(o.size));
  const name = `anode-app-${o.version}.cjs`;
  const artifactFile = join(out, name);
  writeFileSync(artifactFile, bytes);
  const now = Date.now();
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version: o.version,
    channel: "stable" as const,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 86_400_000).toISOString(),
    artifacts: [
      {
        kind: "app" as const,
        platform: "any" as const,
        name,
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
        ...describeArtifact(bytes),
      },
    ],
  };
  const signed = { manifest, signatures: [signManifest(manifest, o.key.key)] };
  const manifestFile = join(out, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(signed));
  return { manifestFile, artifactFile, signed, bytes };
}

interface ReleaseStatus {
  releases: Array<{ version: string; status: string }>;
  served: { bytes: number };
  refusals: Array<{ code: string }>;
}

export interface Spread {
  seconds: number;
  /** Share of all uploaded bytes that the publisher sent. */
  publisherShare: number;
  /** Peer offences reported over the whole network, by code. */
  offences: Record<string, number>;
}

/**
 * Seconds from a release being announced at node 0 until every other node of a fresh
 * `n`-process testnet holds it whole and verified.
 */
export async function spreadSeconds(
  dir: string,
  o: { n: number; env: Record<string, string>; manifestFile: string; version: string },
): Promise<Spread> {
  const net = join(dir, "net");
  const basePort = await freePort("127.0.0.2");
  const up = await runCli(
    ["testnet", "up", "-n", String(o.n), "--dir", net, "--base-port", String(basePort)],
    { env: o.env, timeoutMs: 180_000 },
  );
  if (up.code !== 0) throw new Error(`testnet up failed: ${up.stderr}${up.stdout}`);
  const nodes = readTestnetState(net).nodes;
  try {
    const publisher = nodes[0] as TestnetNodeInfo;
    const published = await runCli(
      ["--config", join(publisher.dir, "config.json"), "release", "publish", o.manifestFile],
      { env: o.env, timeoutMs: 120_000 },
    );
    if (published.code !== 0) throw new Error(`release publish failed: ${published.stderr}`);
    const started = performance.now();
    const done = new Set<number>();
    await eventually(
      async () => {
        await Promise.all(
          nodes.slice(1).map(async (node) => {
            if (done.has(node.index)) return;
            const s = await nodeApi<ReleaseStatus>(node, "GET", "/v1/upgrade/status");
            const r = s.releases.find((x) => x.version === o.version);
            if (r !== undefined && r.status !== "fetching") done.add(node.index);
          }),
        );
        return done.size === o.n - 1;
      },
      300_000,
      `release ${o.version} verified at all ${o.n - 1} other nodes`,
    );
    const seconds = (performance.now() - started) / 1000;
    const all = await Promise.all(
      nodes.map((node) => nodeApi<ReleaseStatus>(node, "GET", "/v1/upgrade/status")),
    );
    const served = all.map((s) => s.served.bytes);
    const offences: Record<string, number> = {};
    for (const s of all) for (const r of s.refusals) offences[r.code] = (offences[r.code] ?? 0) + 1;
    const total = served.reduce((a, b) => a + b, 0);
    return { seconds, publisherShare: (served[0] ?? 0) / Math.max(1, total), offences };
  } finally {
    await runCli(["testnet", "down", "--dir", net], { timeoutMs: 60_000 });
    killPids(readTestnetState(net).nodes.map((n) => n.pid));
  }
}

/** Seconds for `clients` concurrent HTTP downloads of one file from one server process. */
export async function httpFanOutSeconds(file: string, clients: number): Promise<number> {
  const port = await freePort();
  const server = spawn(process.execPath, [
    "-e",
    `const fs = require("node:fs");
     const body = fs.readFileSync(${JSON.stringify(file)});
     require("node:http").createServer((req, res) => {
       res.writeHead(200, { "content-length": body.length });
       res.end(body);
     }).listen(${port}, "127.0.0.1", () => console.log("ready"));`,
  ]);
  try {
    await new Promise<void>((r) =>
      server.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && r()),
    );
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        await res.arrayBuffer();
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    server.kill("SIGKILL");
  }
}
