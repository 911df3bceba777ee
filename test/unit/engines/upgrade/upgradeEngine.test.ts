import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readAppState, readBinaryTrial, writeBinaryTrial } from "../../../../src/boot";
import { defaultUpgradeOptions, type UpgradeOptions } from "../../../../src/config";
import { OPERATOR, type UpgradeStatus, upgradeEngine } from "../../../../src/engines";
import { type Engine, type Mailer, ModuleTable, Registry, spawn } from "../../../../src/runtime";
import {
  binaryPaths,
  canonicalJson,
  describeArtifact,
  generateSigningKey,
  parseSignedManifest,
  readUpgradeState,
  type SignedManifest,
  type SigningKey,
  signManifest,
  stagedBinaryPaths,
  trustedKeyOf,
} from "../../../../src/upgrade";
import { tempDir } from "../../../support/tempDir";
import { signedAppRelease, tinyAppBundle } from "../../../support/tinyRelease";
import { waitUntil } from "../../../support/waitUntil";

const CHUNK = 16 * 1024;

interface Gossip {
  id: string;
  topic: string;
  body: unknown;
  from: string;
}

/** The node around the engine, as plain objects: a transport that records and replays gossip. */
function world() {
  const published: Array<{ topic: string; body: unknown }> = [];
  const recent: Gossip[] = [];
  const alerts: unknown[] = [];
  const exits: number[] = [];
  const registry = new Registry();
  const mailer: Mailer = {
    call(to, msg, timeoutMs) {
      const m = msg as { type: string; topic?: string; body?: unknown };
      if (to.engine === "transport") {
        if (m.type === "publish") {
          published.push({ topic: m.topic as string, body: m.body });
          return Promise.resolve({ id: `g${published.length}` });
        }
        if (m.type === "recent") return Promise.resolve(recent.filter((r) => r.topic === m.topic));
        return Promise.resolve([]);
      }
      return registry.call(to, msg, timeoutMs);
    },
    cast(to, msg) {
      if (to.engine !== "transport") registry.cast(to, msg);
    },
    send(to, msg) {
      registry.send(to, msg);
    },
  };
  const broker = {
    subscribe: async () => "",
    unsubscribeEngine: async () => {},
    publish: (e: unknown) => alerts.push(e),
  };
  return { registry, mailer, broker, published, recent, alerts, exits };
}

function binaryRelease(version: string, bytes: Uint8Array, key: SigningKey): SignedManifest {
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
        kind: "binary" as const,
        platform: "linux-x64" as const,
        name: "anode-linux-x64",
        ...describeArtifact(bytes, CHUNK),
      },
    ],
  };
  return { manifest, signatures: [signManifest(manifest, key)] };
}

describe("upgrade engine", () => {
  const dirs: Array<{ remove(): void }> = [];
  const engines: Engine<unknown>[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) d.remove();
  });

  async function start(
    o: {
      dataDir?: string;
      key?: SigningKey;
      options?: Partial<UpgradeOptions>;
      binaryPath?: string;
      w?: ReturnType<typeof world>;
      clockOffsetMs?: number;
    } = {},
  ) {
    let dataDir = o.dataDir;
    if (dataDir === undefined) {
      const d = tempDir("anode-upgrade-engine-");
      dirs.push(d);
      dataDir = d.path;
    }
    const key = o.key ?? generateSigningKey("k");
    const w = o.w ?? world();
    const engine = await spawn(
      upgradeEngine,
      {
        options: {
          ...defaultUpgradeOptions,
          policy: "manual",
          healthWindowMs: 200,
          trustedKeys: { threshold: 1, keys: [trustedKeyOf(key)] },
          ...o.options,
        },
        dataDir,
        nodeId: "self",
        modules: new ModuleTable(),
        broker: w.broker as never,
        platform: "linux-x64",
        binary: { path: o.binaryPath, owner: undefined },
        exit: (code) => w.exits.push(code),
        clockOffsetMs: o.clockOffsetMs,
      },
      { registry: w.registry, mailer: w.mailer },
    );
    engines.push(engine as Engine<unknown>);
    const op = (msg: Record<string, unknown>) => engine.call({ ...msg, op: OPERATOR }, 10_000);
    const status = async () => (await op({ type: "status" })) as UpgradeStatus;
    const refusal = (msg: Record<string, unknown>) =>
      op(msg).then(
        () => "accepted",
        (e: Error) => e.message,
      );
    const releaseIs = async (version: string, wanted: string) => {
      let s: UpgradeStatus | undefined;
      await waitUntil(
        () => s?.releases.find((r) => r.version === version)?.status === wanted,
        `release ${version} to be ${wanted}`,
        {
          timeoutMs: 8000,
          everyMs: 20,
          between: async () => {
            s = await status();
          },
        },
      );
      return s as UpgradeStatus;
    };
    return { engine, op, status, refusal, releaseIs, key, dataDir, w };
  }

  it("serves the chunks it holds to peers, refusing unknown releases, artifacts, chunks and ranges", async () => {
    const u = await start();
    const bytes = new Uint8Array(randomBytes(CHUNK * 2 + 10));
    const signed = signedAppRelease("0.2.0", bytes, [u.key]);
    await u.op({ type: "publish", signed: canonicalJson(signed) });
    const have = (version: unknown) => u.engine.call({ type: "have", version });
    expect(await have("0.2.0")).toEqual({ version: "0.2.0", artifacts: { "app.cjs": [] } });
    expect(await u.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes })).toEqual(
      { version: "0.2.0", artifact: "app.cjs", chunks: 3 },
    );
    expect(await have("0.2.0")).toEqual({ version: "0.2.0", artifacts: { "app.cjs": [0, 1, 2] } });
    expect(await have(7)).toEqual({ version: "7", artifacts: {} });

    const chunk = (over: Record<string, unknown>) =>
      u.engine.call({
        type: "chunk",
        version: "0.2.0",
        artifact: "app.cjs",
        index: 1,
        offset: 100,
        length: 50,
        ...over,
      });
    await new Promise((r) => setTimeout(r, 50)); // Lets the upload bucket fill a little.
    const piece = (await chunk({})) as { data: Uint8Array };
    expect(Buffer.from(piece.data)).toEqual(Buffer.from(bytes.subarray(CHUNK + 100, CHUNK + 150)));
    expect(await chunk({ version: "9.9.9" })).toEqual({ error: "unknown release" });
    expect(await chunk({ artifact: "other" })).toEqual({ error: "unknown artifact" });
    expect(await chunk({ index: 1.5 })).toEqual({ error: "unknown artifact" });
    expect(await chunk({ index: 3 })).toEqual({ error: "chunk not held" });
    expect(await chunk({ index: 2, offset: 5, length: 6 })).toEqual({ error: "bad range" });
    expect(await chunk({ offset: -1 })).toEqual({ error: "bad range" });
    expect(await chunk({ length: 0 })).toEqual({ error: "bad range" });
    expect(await u.engine.call({ type: "apply" })).toEqual({ error: "not allowed" });
    const s = await u.status();
    expect(s.served).toEqual({ bytes: 50, pieces: 1 });
  });

  it("queues pieces beyond its upload rate, answers them as the bucket refills, and says busy when the queue is too long", async () => {
    const u = await start({ options: { uploadBytesPerSecond: 8 * 1024 } });
    const bytes = new Uint8Array(randomBytes(CHUNK * 4));
    await u.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [u.key])),
    });
    await u.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    const ask = (index: number) =>
      u.engine.call(
        { type: "chunk", version: "0.2.0", artifact: "app.cjs", index, offset: 0, length: CHUNK },
        5000,
      ) as Promise<{ data?: Uint8Array; busy?: boolean }>;
    // At 8 KiB/s the bucket holds enough for the first piece to wait under the 1.5 s
    // queue limit after this pause; the later ones would wait longer and are told "busy".
    await new Promise((r) => setTimeout(r, 700));
    const replies = await Promise.all([ask(0), ask(1), ask(2), ask(3)]);
    const served = replies.filter((r) => r.data !== undefined);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(replies.some((r) => r.busy === true)).toBe(true);
    for (const r of served) expect(r.data?.byteLength).toBe(CHUNK);
  });

  it("refuses an upload that is not the manifest's artifact, and announcing or applying an unknown release", async () => {
    const u = await start();
    const bytes = new Uint8Array(randomBytes(CHUNK));
    await u.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [u.key])),
    });
    const store = (name: string, b: Uint8Array) =>
      u.refusal({ type: "storeArtifact", version: "0.2.0", name, bytes: b });
    expect(await store("nope.cjs", bytes)).toMatch(/the manifest lists no such artifact/);
    expect(await store("app.cjs", bytes.subarray(1))).toMatch(/the manifest says 16384/);
    expect(await store("app.cjs", new Uint8Array(randomBytes(CHUNK)))).toMatch(
      /its SHA-512 is not the manifest's/,
    );
    expect(await u.refusal({ type: "announce", version: "0.9.0" })).toMatch(/has not accepted it/);
    expect(await u.refusal({ type: "storeArtifact", version: "0.9.0", name: "a", bytes })).toMatch(
      /has not accepted it/,
    );
    expect(await u.refusal({ type: "apply", version: "0.9.0" })).toMatch(/no such release/);
    expect(await u.op({ type: "announce", version: "0.2.0" })).toEqual({
      version: "0.2.0",
      gossip: "g1",
    });
    expect(u.w.published[0]?.topic).toBe("upgrade.release");
  });

  it("approving a release still fetching marks it approved; it applies once verified", async () => {
    const u = await start();
    const bytes = tinyAppBundle("0.2.0");
    await u.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [u.key])),
    });
    expect(await u.op({ type: "apply" })).toEqual({
      version: "0.2.0",
      status: "fetching",
      approved: true,
    });
    await u.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    const s = await u.releaseIs("0.2.0", "applied");
    expect(s.running).toBe("0.2.0");
    expect(readAppState(u.dataDir)).toMatchObject({ current: "0.2.0", lastGood: "0.2.0" });
  });

  it("under policy notify waits for apply, and under a rollout window waits for this node's turn", async () => {
    const notify = await start({ options: { policy: "notify" } });
    const bytes = tinyAppBundle("0.2.0");
    await notify.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [notify.key])),
    });
    await notify.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    const n = await notify.releaseIs("0.2.0", "verified");
    await waitUntil(() => n.releases[0]?.note !== undefined, "the note", {
      between: async () => Object.assign(n, await notify.status()),
    });
    expect(n.releases[0]?.note).toBe("verified; waiting for `anode upgrade apply`");

    const auto = await start({ options: { policy: "auto", rolloutWindowMs: 3_600_000 } });
    await auto.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [auto.key])),
    });
    await auto.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    let note: string | undefined;
    await waitUntil(() => note?.startsWith("staged rollout") === true, "a staged-rollout note", {
      between: async () => {
        note = (await auto.status()).releases[0]?.note;
      },
    });
    expect(note).toMatch(/^staged rollout: this node's turn comes at \S+Z$/);
  });

  it("marks a bundle that throws when evaluated bad, installs nothing and alerts", async () => {
    const u = await start();
    const bytes = tinyAppBundle("0.2.0", { throws: true });
    await u.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [u.key])),
    });
    await u.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    await u.op({ type: "apply", version: "0.2.0" });
    const s = await u.releaseIs("0.2.0", "failed");
    expect(s.bad["0.2.0"]).toMatch(/refuses to load/);
    expect(s.alerts).toEqual([expect.objectContaining({ code: "RELEASE_FAILED" })]);
    expect(readAppState(u.dataDir).bad["0.2.0"]).toMatch(/refuses to load/);
    expect(existsSync(join(u.dataDir, "app", "0.2.0"))).toBe(false);
    expect(s.running).toBe("0.1.0");
  });

  it("picks a verified release back up after a restart, ready to apply", async () => {
    const first = await start();
    const bytes = tinyAppBundle("0.2.0");
    await first.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [first.key])),
    });
    await first.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    await first.releaseIs("0.2.0", "verified");
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine as Engine<unknown>), 1);

    const again = await start({ dataDir: first.dataDir, key: first.key });
    const s = await again.status();
    expect(s.releases.map((r) => [r.version, r.status])).toEqual([["0.2.0", "verified"]]);
    await again.op({ type: "apply" });
    await again.releaseIs("0.2.0", "applied");
  });

  it("keeps and applies a release it accepted after its manifest expires, calls a republish of it a duplicate, and refuses new expired ones", async () => {
    const DAY = 86_400_000;
    const first = await start();
    const bytes = tinyAppBundle("0.2.0");
    const text = canonicalJson(signedAppRelease("0.2.0", bytes, [first.key]));
    await first.op({ type: "publish", signed: text });
    await first.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    await first.releaseIs("0.2.0", "verified");
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine as Engine<unknown>), 1);

    // Two days on, the manifest (valid for one) has expired: accepted before, so kept.
    const later = await start({ dataDir: first.dataDir, key: first.key, clockOffsetMs: 2 * DAY });
    expect((await later.status()).releases.map((r) => [r.version, r.status])).toEqual([
      ["0.2.0", "verified"],
    ]);
    await later.op({ type: "apply", version: "0.2.0" });
    await later.releaseIs("0.2.0", "applied");
    expect(readUpgradeState(later.dataDir).bootFloor).toBe("0.2.0");
    expect(await later.op({ type: "publish", signed: text })).toEqual({
      outcome: "duplicate",
      version: "0.2.0",
      installed: true,
    });
    expect(
      await later.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes }),
    ).toMatchObject({
      version: "0.2.0",
    });
    // A release signed now expires in a day: to this node's clock it already has.
    const fresh = canonicalJson(signedAppRelease("0.3.0", tinyAppBundle("0.3.0"), [first.key]));
    expect(await later.refusal({ type: "publish", signed: fresh })).toMatch(
      /^Cannot accept release 0\.3\.0: its manifest expired at /,
    );
    expect((await later.op({ type: "running" })) as unknown).toMatchObject({
      version: "0.2.0",
      how: "hot-swapped",
      why: expect.stringMatching(/^hot-swapped at runtime from 0\.1\.0 at \S+, permanent$/),
    });
  });

  it("keeps a rolled-back release across a restart so unblock can lift it, and lowers then raises the boot floor", async () => {
    const first = await start();
    const bytes = tinyAppBundle("0.2.0");
    await first.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [first.key])),
    });
    await first.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    await first.op({ type: "apply", version: "0.2.0" });
    await first.releaseIs("0.2.0", "applied");
    expect(await first.op({ type: "rollback" })).toEqual({ rolledBack: "0.2.0", running: "0.1.0" });
    expect(readUpgradeState(first.dataDir).bootFloor).toBe("0.1.0");
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine as Engine<unknown>), 1);

    const again = await start({ dataDir: first.dataDir, key: first.key });
    const s = await again.status();
    expect(s.releases.map((r) => [r.version, r.status, r.note])).toEqual([
      ["0.2.0", "failed", "rolled back by the operator"],
    ]);
    expect(await again.refusal({ type: "apply", version: "0.2.0" })).toMatch(
      /upgrade unblock 0\.2\.0/,
    );
    expect(await again.op({ type: "unblock", version: "0.2.0" })).toEqual({
      version: "0.2.0",
      status: "verified",
      policy: "manual",
    });
    expect(readAppState(again.dataDir).bad).toEqual({});
    await again.op({ type: "apply", version: "0.2.0" });
    await again.releaseIs("0.2.0", "applied");
    expect(readUpgradeState(again.dataDir).bootFloor).toBe("0.2.0");
  });

  it("unblock lifts only an operator's rollback", async () => {
    const u = await start();
    const bytes = tinyAppBundle("0.2.0", { throws: true });
    await u.op({
      type: "publish",
      signed: canonicalJson(signedAppRelease("0.2.0", bytes, [u.key])),
    });
    await u.op({ type: "storeArtifact", version: "0.2.0", name: "app.cjs", bytes });
    await u.op({ type: "apply", version: "0.2.0" });
    await u.releaseIs("0.2.0", "failed");
    expect(await u.refusal({ type: "unblock", version: "0.2.0" })).toMatch(
      /^Cannot unblock 0\.2\.0: it is marked bad because .*refuses to load.*; only an operator's rollback can be lifted$/,
    );
    expect(await u.refusal({ type: "unblock", version: "0.9.0" })).toBe(
      "Cannot unblock 0.9.0: it is not marked bad on this node (nothing to lift)",
    );
  });

  it("takes a release from gossip, and on a gossiped proof of equivocation refuses that version for good", async () => {
    const w = world();
    const u = await start({ w });
    const bytes = tinyAppBundle("0.2.0");
    const one = signedAppRelease("0.2.0", bytes, [u.key]);
    const two = signedAppRelease("0.2.0", tinyAppBundle("0.2.0", { hostApi: 1 }), [u.key], {
      createdAt: Date.now() - 5000,
    });
    const deliver = (topic: string, id: string, body: unknown) => {
      w.recent.push({ id, topic, body, from: "peer-a" });
      u.engine.info({
        type: "broker.event",
        tag: topic,
        event: { topic: "gossip.received", body: { id, origin: "peer-b", topic } },
      });
    };
    deliver("upgrade.release", "m1", { signed: canonicalJson(one) });
    await u.releaseIs("0.2.0", "fetching");
    deliver("upgrade.release", "missing-body", { notSigned: 1 });
    deliver("upgrade.equivocation", "p0", { a: canonicalJson(one), b: "garbage" });
    deliver("upgrade.equivocation", "p1", { a: canonicalJson(one), b: canonicalJson(two) });
    let s: UpgradeStatus | undefined;
    await waitUntil(() => s?.bad["0.2.0"] !== undefined, "0.2.0 to be marked bad", {
      between: async () => {
        s = await u.status();
      },
    });
    expect(s?.bad["0.2.0"]).toMatch(/equivocation/);
    expect(s?.releases).toEqual([]);
    expect(s?.alerts).toEqual([
      expect.objectContaining({ code: "EQUIVOCATION", reason: expect.stringMatching(/peer-a/) }),
    ]);
    expect(w.alerts).toEqual([expect.objectContaining({ topic: "upgrade.alert" })]);
  });
});

describe("upgrade engine with a replaceable binary", () => {
  const dirs: Array<{ remove(): void }> = [];
  const engines: Engine<unknown>[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) d.remove();
  });

  async function startWith(dataDir: string, exe: string, key: SigningKey, privileged = false) {
    const w = world();
    const engine = await spawn(
      upgradeEngine,
      {
        options: {
          ...defaultUpgradeOptions,
          policy: "manual",
          healthWindowMs: 100,
          trustedKeys: { threshold: 1, keys: [trustedKeyOf(key)] },
        },
        dataDir,
        nodeId: "self",
        modules: new ModuleTable(),
        broker: w.broker as never,
        platform: "linux-x64",
        binary: { path: exe, owner: undefined, ...(privileged ? { privileged } : {}) },
        exit: (code) => w.exits.push(code),
      },
      { registry: w.registry, mailer: w.mailer },
    );
    engines.push(engine as Engine<unknown>);
    return { engine, w, op: (m: Record<string, unknown>) => engine.call({ ...m, op: OPERATOR }) };
  }

  it("stages, swaps in the new executable keeping .old, writes the trial marker and exits to restart", async () => {
    const d = tempDir("anode-upgrade-binary-");
    dirs.push(d);
    const exe = join(d.path, "anode");
    writeFileSync(exe, "old executable", { mode: 0o755 });
    const key = generateSigningKey("k");
    const { w, op } = await startWith(join(d.path, "data"), exe, key);
    const bytes = new Uint8Array(randomBytes(CHUNK + 1));
    await op({ type: "publish", signed: canonicalJson(binaryRelease("0.2.0", bytes, key)) });
    await op({ type: "storeArtifact", version: "0.2.0", name: "anode-linux-x64", bytes });
    await op({ type: "apply", version: "0.2.0" });
    await waitUntil(() => w.exits.length > 0, "the engine to ask for a restart");
    expect(w.exits).toEqual([75]);
    expect(Buffer.from(readFileSync(exe))).toEqual(Buffer.from(bytes));
    expect(readFileSync(binaryPaths(exe).old, "utf8")).toBe("old executable");
    expect(readBinaryTrial(join(d.path, "data"))).toMatchObject({
      version: "0.2.0",
      previous: "0.1.0",
      exe,
    });
    const s = (await op({ type: "status" })) as UpgradeStatus;
    expect(s.releases[0]).toMatchObject({ status: "restarting" });
  });

  it("under a privileged swap, leaves the verified binary and its manifest in the data directory and never touches the executable's folder", async () => {
    const d = tempDir("anode-upgrade-binary-");
    dirs.push(d);
    const exe = join(d.path, "anode");
    writeFileSync(exe, "old executable", { mode: 0o755 });
    const dataDir = join(d.path, "data");
    const key = generateSigningKey("k");
    const { w, op } = await startWith(dataDir, exe, key, true);
    const bytes = new Uint8Array(randomBytes(CHUNK + 1));
    await op({ type: "publish", signed: canonicalJson(binaryRelease("0.2.0", bytes, key)) });
    await op({ type: "storeArtifact", version: "0.2.0", name: "anode-linux-x64", bytes });
    await op({ type: "apply", version: "0.2.0" });
    await waitUntil(() => w.exits.length > 0, "the engine to ask for a restart");
    expect(w.exits).toEqual([75]);
    expect(readFileSync(exe, "utf8")).toBe("old executable");
    expect(readdirSync(d.path).sort()).toEqual(["anode", "data"]);
    // What the root pre-start step will check again from scratch.
    const staged = stagedBinaryPaths(dataDir);
    expect(Buffer.from(readFileSync(staged.bytes))).toEqual(Buffer.from(bytes));
    const manifest = parseSignedManifest(readFileSync(staged.manifest, "utf8"));
    expect(manifest.manifest.version).toBe("0.2.0");
    expect(readBinaryTrial(dataDir)).toMatchObject({ version: "0.2.0", exe });
  });

  it("clears the binary trial and .old once the process on trial passes its health window", async () => {
    const d = tempDir("anode-upgrade-binary-");
    dirs.push(d);
    const exe = join(d.path, "anode");
    writeFileSync(exe, "new executable");
    writeFileSync(binaryPaths(exe).old, "old executable");
    const dataDir = join(d.path, "data");
    writeBinaryTrial(dataDir, { version: "0.1.0", previous: "0.0.9", exe, pid: process.pid });
    const { op } = await startWith(dataDir, exe, generateSigningKey("k"));
    expect(((await op({ type: "status" })) as UpgradeStatus).binaryTrial).toBe("0.1.0");
    await waitUntil(() => readBinaryTrial(dataDir) === undefined, "the binary trial to clear");
    expect(existsSync(binaryPaths(exe).old)).toBe(false);
    expect(((await op({ type: "status" })) as UpgradeStatus).binaryTrial).toBeNull();
  });
});
