import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines as appEngines } from "../../../../src/app/engines";
import { readAppState } from "../../../../src/boot";
import { formatStatus } from "../../../../src/cli/commands/upgrade/formatStatus";
import { progressBar } from "../../../../src/cli/commands/upgrade/progressBar";
import type { UpgradeStatus } from "../../../../src/engines";
import { nullLogger } from "../../../../src/logging";
import { AnodeNode } from "../../../../src/node";
import type { AnyEngineModule } from "../../../../src/runtime";
import { generateSigningKey, readUpgradeState, trustedKeyOf } from "../../../../src/upgrade";
import { cli } from "../../../support/cliHarness";
import { tempDir } from "../../../support/tempDir";
import { apiClient, testOptions } from "../../../support/testNode";
import { forgetSwapEngines, provideSwapEngines, tinyAppBundle } from "../../../support/tinyRelease";
import { waitUntil } from "../../../support/waitUntil";

const HEALTH_WINDOW_MS = 1_500;
const mempool = appEngines.mempool as AnyEngineModule;

describe("anode upgrade and release publish against a running node", () => {
  let dir: { path: string; remove(): void };
  let node: AnodeNode;
  let flags: string[];
  let keyFile: string;

  beforeAll(async () => {
    dir = tempDir("anode-upgrade-cli-");
    const key = generateSigningKey("cli-test");
    keyFile = join(dir.path, "cli-test.key");
    writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
    const dataDir = join(dir.path, "node");
    mkdirSync(dataDir);
    // Slow blocks: fewer calls in flight while engines are swapped on a loaded machine.
    const base = await testOptions(dataDir, { blockIntervalMs: 250 });
    node = await AnodeNode.create(
      {
        ...base,
        upgrade: {
          ...base.upgrade,
          policy: "manual",
          healthWindowMs: HEALTH_WINDOW_MS,
          trustedKeys: { threshold: 1, keys: [trustedKeyOf(key)] },
        },
      },
      { log: nullLogger },
    );
    flags = ["--data-dir", dataDir, "--api-port", String(node.options.api.port)];
    provideSwapEngines("next", {
      mempool: { ...mempool, version: `${mempool.version}-next`, codeChange: (_f, s) => s },
    });
    provideSwapEngines("broken", {
      mempool: {
        ...mempool,
        version: `${mempool.version}-broken`,
        codeChange: () => {
          throw new Error("cannot carry the mempool over");
        },
      },
    });
  });

  afterAll(async () => {
    await node?.close();
    forgetSwapEngines();
    dir?.remove();
  });

  const status = async (): Promise<UpgradeStatus> => {
    const r = await cli([...flags, "--json", "upgrade", "status"]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as UpgradeStatus;
  };
  const releaseStatus = async (version: string) =>
    (await status()).releases.find((r) => r.version === version)?.status;
  const waitFor = async (version: string, wanted: string) => {
    let last: string | undefined;
    await waitUntil(() => last === wanted, `release ${version} to be ${wanted} (is ${last})`, {
      timeoutMs: 10_000,
      everyMs: 50,
      between: async () => {
        last = await releaseStatus(version);
      },
    });
  };
  const mempoolVersion = () => node.registry.lookup("mempool")?.module.version;

  /** Signs a tiny bundle with `release sign` into its own folder; returns the manifest. */
  async function signed(version: string, swap?: string): Promise<string> {
    const out = join(dir.path, `release-${version}`);
    mkdirSync(out);
    const app = join(out, `anode-app-${version}.cjs`);
    writeFileSync(app, tinyAppBundle(version, swap === undefined ? {} : { swap }));
    const r = await cli(["release", "sign", "--key", keyFile, "--app", app]);
    expect(r.code, r.stderr).toBe(0);
    return join(out, "manifest.json");
  }

  /** Uploads a release's app bundle through the control API, as `release publish` does. */
  async function upload(version: string): Promise<number> {
    const { base, token } = apiClient(node);
    const name = `anode-app-${version}.cjs`;
    const res = await fetch(`${base}/v1/upgrade/releases/${version}/artifacts/${name}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: readFileSync(join(dir.path, `release-${version}`, name)),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it("upgrade status shows what runs, the policy and no releases on a fresh node", async () => {
    const r = await cli([...flags, "upgrade", "status"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^running {3}0\.1\.0 \(binary 0\.1\.0\)$/m);
    expect(r.stdout).toMatch(/^policy {4}manual, channel stable, upload 8\.0 MiB\/s$/m);
    expect(r.stdout).not.toMatch(/^release {3}/m);
  });

  it("upgrade status names the release keys and where they came from, --json too", async () => {
    const r = await cli([...flags, "upgrade", "status"]);
    expect(r.stdout).toMatch(
      /^release keys: overridden by config upgrade\.trustedKeys \(1 of 1: cli-test\)$/m,
    );
    const json = JSON.parse((await cli([...flags, "--json", "upgrade", "status"])).stdout);
    expect(json.trust).toEqual({
      source: { kind: "config", path: "upgrade.trustedKeys" },
      threshold: 1,
      keys: ["cli-test"],
    });
  });

  it("upgrade rollback and apply fail with the engine's reason when there is nothing to act on", async () => {
    const back = await cli([...flags, "upgrade", "rollback"]);
    expect(back.code).not.toBe(0);
    expect(back.stderr).toContain("Cannot roll back");
    const apply = await cli([...flags, "upgrade", "apply", "9.9.9"]);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toContain("Cannot apply 9.9.9");
  });

  it("release publish refuses a release none of whose artifacts is in --dir", async () => {
    const manifest = await signed("0.1.5");
    const empty = join(dir.path, "empty");
    mkdirSync(empty);
    const r = await cli([...flags, "release", "publish", manifest, "--dir", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`none of its artifacts is in ${empty}`);
    // Refused before the node heard of it: the release is unknown there and can still be
    // published properly later.
    expect(await releaseStatus("0.1.5")).toBeUndefined();
  });

  it("publishes a release that waits for apply under policy manual, then rolls back during its health window", async () => {
    const manifest = await signed("0.2.0", "next");
    const pub = await cli([...flags, "release", "publish", manifest]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toBe(
      "release 0.2.0 published (anode-app-0.2.0.cjs) and announced to the network\n",
    );
    await waitFor("0.2.0", "verified");
    const waiting = await cli([...flags, "upgrade", "status"]);
    expect(waiting.stdout).toContain(
      "release   0.2.0 (stable): verified - verified; waiting for `anode upgrade apply`",
    );
    expect(waiting.stdout).toMatch(/chunks from: publisher upload 1/);

    const apply = await cli([...flags, "upgrade", "apply"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toBe(
      "release 0.2.0 approved (verified); it is applied as soon as it is verified\n",
    );
    await waitFor("0.2.0", "trial");
    expect(mempoolVersion(), JSON.stringify(await status())).toBe(`${mempool.version}-next`);
    const during = await cli([...flags, "upgrade", "status"]);
    expect(during.stdout).toMatch(/^trial {5}0\.2\.0 in its health window/m);

    const back = await cli([...flags, "--json", "upgrade", "rollback"]);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual({ rolledBack: "0.2.0", running: "0.1.0" });
    expect(mempoolVersion()).toBe(mempool.version);
    const s = await status();
    expect(s.bad["0.2.0"]).toMatch(/rolled back by the operator/);
    expect(s.alerts.map((a) => a.code)).toContain("RELEASE_FAILED");
    expect(existsSync(join(flags[1] as string, "app", "0.2.0"))).toBe(false);
  });

  it("applies a release that stays healthy for its window, makes it boot's current, then rolls it back", async () => {
    const manifest = await signed("0.3.0", "next");
    const pub = await cli([...flags, "--json", "release", "publish", manifest]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(JSON.parse(pub.stdout)).toMatchObject({
      version: "0.3.0",
      uploaded: ["anode-app-0.3.0.cjs"],
      gossip: expect.any(String),
    });
    const apply = await cli([...flags, "--json", "upgrade", "apply", "0.3.0"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ version: "0.3.0", approved: true });
    await waitFor("0.3.0", "applied");
    expect(mempoolVersion(), JSON.stringify(await status())).toBe(`${mempool.version}-next`);
    const dataDir = flags[1] as string;
    expect(readAppState(dataDir)).toMatchObject({ current: "0.3.0", lastGood: "0.3.0" });
    expect((await status()).running).toBe("0.3.0");

    const back = await cli([...flags, "upgrade", "rollback"]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe("rolled back from 0.3.0; running 0.1.0\n");
    expect(mempoolVersion()).toBe(mempool.version);
    const app = readAppState(dataDir);
    expect(app.current).toBeUndefined();
    expect(app.bad["0.3.0"]).toBe("rolled back by the operator");
    expect(await releaseStatus("0.3.0")).toBe("failed");
  });

  it("upgrade unblock refuses to lift without a confirmation when stdin is not a terminal", async () => {
    const r = await cli([...flags, "upgrade", "unblock", "0.3.0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Cannot unblock 0.3.0: stdin is not a terminal to confirm on; pass --yes",
    );
    expect((await status()).bad["0.3.0"]).toBe("rolled back by the operator");
    const apply = await cli([...flags, "upgrade", "apply", "0.3.0"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("lift that first with `anode upgrade unblock 0.3.0`");
  });

  it("upgrade unblock --yes lifts the rollback; the release is applied again, and the boot floor follows", async () => {
    const dataDir = flags[1] as string;
    // The rollback lowered boot's floor to the release it went back to.
    expect(readUpgradeState(dataDir).bootFloor).toBe("0.1.0");
    const r = await cli([...flags, "upgrade", "unblock", "0.3.0", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      "rollback of 0.3.0 lifted (verified); apply it with `anode upgrade apply 0.3.0`\n",
    );
    const s = await status();
    expect(s.bad["0.3.0"]).toBeUndefined();
    expect(readAppState(dataDir).bad["0.3.0"]).toBeUndefined();
    expect((await cli([...flags, "upgrade", "apply", "0.3.0"])).code).toBe(0);
    await waitFor("0.3.0", "applied");
    expect(mempoolVersion()).toBe(`${mempool.version}-next`);
    expect(readUpgradeState(dataDir).bootFloor).toBe("0.3.0");
    const shown = await cli([...flags, "status"]);
    expect(shown.stdout).toMatch(
      /^app {9}0\.3\.0, hot-swapped at runtime from 0\.1\.0 at \S+, permanent$/m,
    );
    const json = JSON.parse((await cli([...flags, "--json", "status"])).stdout);
    expect(json.app).toMatchObject({ version: "0.3.0", how: "hot-swapped", trial: false });

    // Back to 0.1.0 for the tests after this one.
    expect((await cli([...flags, "upgrade", "rollback"])).code).toBe(0);
    expect(mempoolVersion()).toBe(mempool.version);
    const after = JSON.parse((await cli([...flags, "--json", "status"])).stdout);
    expect(after.app).toMatchObject({ version: "0.1.0", how: "rolled-back" });
  });

  it("upgrade unblock says what is wrong with a version that is not rolled back", async () => {
    const r = await cli([...flags, "--json", "upgrade", "unblock", "7.7.7", "--yes"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("Cannot unblock 7.7.7: it is not marked bad on this node");
  });

  it("marks a release bad when its engines cannot take over the running state, and keeps the old engines", async () => {
    const manifest = await signed("0.4.0", "broken");
    expect((await cli([...flags, "release", "publish", manifest])).code).toBe(0);
    expect((await cli([...flags, "upgrade", "apply", "0.4.0"])).code).toBe(0);
    await waitFor("0.4.0", "failed");
    expect(mempoolVersion()).toBe(mempool.version);
    const r = await cli([...flags, "upgrade", "status"]);
    expect(r.stdout).toMatch(/^bad {7}0\.4\.0: /m);
    expect(r.stdout).toMatch(/^ALERT {5}0\.4\.0 RELEASE_FAILED: /m);
    expect(existsSync(join(flags[1] as string, "app", "0.4.0"))).toBe(false);
  });

  it("upgrade unblock never lifts a release that failed on its own", async () => {
    const r = await cli([...flags, "upgrade", "unblock", "0.4.0", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^anode: Cannot unblock 0\.4\.0: it is marked bad because .*; only an operator's rollback can be lifted$/m,
    );
  });

  it("upgrade status --watch redraws while a release downloads and stops once it has it all", async () => {
    const manifest = await signed("0.5.0");
    const { request } = apiClient(node);
    const text = readFileSync(manifest, "utf8");
    const posted = await request("POST", "/v1/upgrade/releases", { signed: text });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const watching = cli([...flags, "upgrade", "status", "--watch", "100"], { colour: true });
    await new Promise((r) => setTimeout(r, 400));
    expect(await upload("0.5.0")).toBe(200);
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      watching,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("Timed out after 10000 ms waiting for --watch to end")),
          10_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("release   0.5.0 (stable): fetching");
    expect(r.stdout).toContain("\x1b[2J\x1b[H");
    expect(r.stdout).toMatch(/\[-+\] +0% 0\.0\/0\.0 MB/);
    expect(r.stdout).toContain("release   0.5.0 (stable): verified");
  });

  it("release publish of a manifest this node already accepted is a no-op that says so", async () => {
    const manifest = join(dir.path, "release-0.5.0", "manifest.json");
    const r = await cli([...flags, "release", "publish", manifest]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      "release 0.5.0 was already accepted by this node: nothing changed (announced to the network again)\n",
    );
    const json = await cli([...flags, "--json", "release", "publish", manifest]);
    expect(JSON.parse(json.stdout)).toMatchObject({ duplicate: true, installed: false });
    expect(await releaseStatus("0.5.0")).toBe("verified");
  });

  it("release publish refuses a release older than one already accepted", async () => {
    const manifest = await signed("0.3.5");
    const r = await cli([...flags, "release", "publish", manifest]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not newer than 0\.5\.0/);
  });
});

describe("formatStatus()", () => {
  const base: UpgradeStatus = {
    running: "1.0.0",
    binary: "1.0.0",
    current: "1.0.0",
    lastGood: "1.0.0",
    highestAccepted: "1.1.0",
    bootFloor: "1.0.0",
    binaryTrial: null,
    policy: "auto",
    channel: "beta",
    uploadBytesPerSecond: 2 * 1048576,
    trust: { source: "compiled", threshold: 2, keys: ["rk-1", "rk-2", "rk-3"] },
    bad: { "0.9.0": "crashed" },
    trial: null,
    releases: [
      {
        version: "1.1.0",
        channel: "beta",
        status: "fetching",
        approved: false,
        artifacts: [],
        chunks: { have: 2, total: 8 },
        bytes: { have: 500_000, total: 2_000_000 },
        sources: { self: 1, abcdefabcdefabcdef: 3 },
        binaryWaiting: true,
      },
    ],
    peers: [],
    served: { bytes: 0, pieces: 0 },
    counts: { swaps: 0, rollbacks: 0 },
    refusals: Array.from({ length: 7 }, (_, i) => ({
      at: i,
      version: `0.0.${i}`,
      code: "EXPIRED",
      reason: `r${i}`,
    })),
    alerts: [{ at: 1, code: "EQUIVOCATION", reason: "two manifests" }],
  };

  it("shows a fetching release as chunk counts, or as a progress bar on a terminal", () => {
    const plain = formatStatus(base, { bars: false });
    expect(plain).toContain("release   1.1.0 (beta): fetching");
    expect(plain).toContain("          2/8 chunks");
    const bars = formatStatus(base, { bars: true });
    expect(bars).toContain(`          ${progressBar(500_000, 2_000_000)}`);
  });

  it("names chunk sources (the publisher's upload, peers by id prefix), a waiting binary, bad versions, alerts and the last five refusals", () => {
    const lines = formatStatus(base, { bars: false });
    expect(lines).toContain("          chunks from: publisher upload 1, abcdefabcdef 3");
    expect(lines).toContain(
      "          binary upgrade waiting for the package manager (brew upgrade / apt upgrade)",
    );
    expect(lines).toContain("bad       0.9.0: crashed");
    expect(lines).toContain("ALERT      EQUIVOCATION: two manifests");
    const refused = lines.filter((l) => l.startsWith("refused"));
    expect(refused).toEqual([2, 3, 4, 5, 6].map((i) => `refused   0.0.${i} EXPIRED: r${i}`));
  });

  it("shows boot's floor beside the highest accepted version, and nothing for a node without one", () => {
    expect(formatStatus(base, { bars: false })).toContain(
      "current   1.0.0    last good 1.0.0    highest accepted 1.1.0    boot floor 1.0.0",
    );
    expect(formatStatus({ ...base, bootFloor: null }, { bars: false })).toContain(
      "current   1.0.0    last good 1.0.0    highest accepted 1.1.0",
    );
  });

  it("names the release keys: compiled in, or overridden by the environment or a config file", () => {
    expect(formatStatus(base, { bars: false })).toContain(
      "release keys: compiled in (2 of 3: rk-1, rk-2, rk-3)",
    );
    const env = { kind: "env" as const, name: "ANODE_UPGRADE_TRUSTED_KEYS" };
    expect(
      formatStatus({ ...base, trust: { ...base.trust, source: env } }, { bars: false }),
    ).toContain(
      "release keys: overridden by env ANODE_UPGRADE_TRUSTED_KEYS (2 of 3: rk-1, rk-2, rk-3)",
    );
    const config = { kind: "config" as const, path: "/etc/anode/config.json" };
    expect(
      formatStatus({ ...base, trust: { ...base.trust, source: config } }, { bars: false }),
    ).toContain(
      "release keys: overridden by config /etc/anode/config.json (2 of 3: rk-1, rk-2, rk-3)",
    );
  });

  it("progressBar() fills in proportion and reads full for an empty total", () => {
    expect(progressBar(1, 2, 10)).toBe("[#####-----]  50% 0.0/0.0 MB");
    expect(progressBar(0, 0, 4)).toBe("[####] 100% 0.0/0.0 MB");
  });
});
