import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSignedManifest } from "../../src/upgrade";
import { runCli } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { type RunbookBlock, runbookBlocks } from "../support/runbookBlocks";
import {
  anodeShim,
  type BlockRun,
  describeFailure,
  killProcessesUnder,
  runBlock,
} from "../support/runbookShell";
import { tempDir } from "../support/tempDir";
import {
  alive,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
} from "../support/testnet";

const RUNBOOK = "docs/release-runbook.md";

/** Blocks the checks below hang on; the runbook may hold more, and they run too. */
const CHECKED = [
  "keygen-a",
  "keygen-b",
  "trust",
  "sign-first",
  "sign-second",
  "sums",
  "verify",
  "testnet-up",
  "publish",
  "status",
  "wait-applied",
  "smoke",
  "rollback",
  "testnet-down",
];

interface Status {
  running: string;
  bad: Record<string, string>;
}
interface NodeStatus {
  pid: number;
  engines: Array<{ name: string; version: string }>;
}

const mempoolVersion = async (n: TestnetNodeInfo) =>
  (await nodeApi<NodeStatus>(n, "GET", "/v1/status")).engines.find((e) => e.name === "mempool")
    ?.version;

/** A version above package.json's, so the embedded app is older than the release. */
function nextMinor(): string {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  const [major, minor] = pkg.version.split(/[.-]/).map(Number) as [number, number];
  return `${major}.${minor + 1}.0`;
}

describe("the release manager's runbook (docs/release-runbook.md)", () => {
  const blocks = runbookBlocks(readFileSync(RUNBOOK, "utf8"));
  const dir = tempDir("anode-runbook-");
  const version = nextMinor();
  const vars = {
    HOLDER_A: join(dir.path, "media-holder-a"),
    HOLDER_B: join(dir.path, "media-holder-b"),
    TRUST: join(dir.path, "trusted-keys.json"),
    RELEASE: join(dir.path, "release"),
    VERSION: version,
    TESTNET: join(dir.path, "testnet"),
    BASE_PORT: "",
  };
  let env: Record<string, string> = {};

  beforeAll(async () => {
    for (const d of [vars.HOLDER_A, vars.HOLDER_B, vars.RELEASE, join(dir.path, "home")])
      mkdirSync(d, { recursive: true });
    vars.BASE_PORT = String(await freePort("127.0.0.2"));
    // The release under test: the app with its mempool engine at a new version, which
    // every node's status shows once the release is applied (and not after the rollback).
    execFileSync(process.execPath, [
      resolve("build/appBundle.mjs"),
      ...["--out", join(vars.RELEASE, `anode-app-${version}.cjs`)],
      ...["--app-version", version],
      ...["--entry", "test/support/upgradeFixtures/bumpMempool.ts"],
    ]);
    // Only what the blocks need: no ANODE_* setting of the machine running the test leaks in.
    env = {
      PATH: `${anodeShim(dir.path)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: join(dir.path, "home"),
      TMPDIR: dir.path,
      NO_COLOR: "1",
      ...vars,
    };
  }, 60_000);

  afterAll(async () => {
    if (existsSync(join(vars.TESTNET, "testnet.json"))) {
      await runCli(["testnet", "down", "--dir", vars.TESTNET], { timeoutMs: 60_000 });
      killPids(readTestnetState(vars.TESTNET).nodes.map((n) => n.pid));
    }
    const strays = killProcessesUnder(dir.path);
    dir.remove();
    // Anything still running here escaped testnet down: fail rather than leak it quietly.
    expect(strays, "processes still running under the test's folder").toEqual([]);
  });

  const run = async (block: RunbookBlock): Promise<BlockRun> => {
    const r = await runBlock(block, { env, cwd: dir.path, timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(describeFailure(block, r));
    return r;
  };
  /** The CLI as a block would run it, for the checks between blocks. */
  const anode = (args: string[]) =>
    runBlock(
      {
        name: `check: anode ${args.join(" ")}`,
        code: `anode ${args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ")}`,
        line: 0,
      },
      { env: { ...env }, cwd: dir.path, timeoutMs: 60_000 },
    );

  it("marks every step it checks as a runnable block, in order", () => {
    const names = blocks.map((b) => b.name);
    expect(names.filter((n) => CHECKED.includes(n))).toEqual(CHECKED);
  });

  it("has runnable blocks that shellcheck finds nothing wrong with", () => {
    for (const block of blocks) {
      try {
        execFileSync("shellcheck", ["--shell=bash", "-"], { input: block.code, encoding: "utf8" });
      } catch (err) {
        const e = err as { code?: string; stdout?: string };
        if (e.code === "ENOENT")
          throw new Error(
            "Cannot lint the runbook: shellcheck is not installed (apt install shellcheck)",
          );
        throw new Error(
          `shellcheck on runbook block "${block.name}" (line ${block.line}):\n${e.stdout ?? err}`,
        );
      }
    }
  });

  it("runs the runbook: two offline keys, a 2-of-2 trust list, both holders sign, verify, publish to one node, every node applies it, roll back", async () => {
    const nodes = () => readTestnetState(vars.TESTNET).nodes;
    let before: { pids: Array<number | null>; running: string; mempool: string | undefined } = {
      pids: [],
      running: "",
      mempool: undefined,
    };
    let firstBody = "";

    const checks: Record<string, (r: BlockRun) => Promise<void> | void> = {
      "keygen-a": (r) => {
        const key = join(vars.HOLDER_A, "holder-a.key");
        expect(statSync(key).mode & 0o777).toBe(0o600);
        const pub = JSON.parse(readFileSync(join(vars.HOLDER_A, "holder-a.pub.json"), "utf8"));
        expect(pub).toMatchObject({ id: "holder-a", publicKey: expect.any(String) });
        expect(pub.secretKey).toBeUndefined();
        expect(r.stdout).toContain("-rw-------");
      },
      trust: () => {
        const trust = JSON.parse(readFileSync(vars.TRUST, "utf8"));
        expect(trust.threshold).toBe(2);
        expect(trust.keys.map((k: { id: string }) => k.id)).toEqual(["holder-a", "holder-b"]);
      },
      "sign-first": async () => {
        const file = join(vars.RELEASE, "manifest.json");
        const signed = parseSignedManifest(readFileSync(file));
        expect(signed.signatures.map((s) => s.keyId)).toEqual(["holder-a"]);
        firstBody = JSON.stringify(signed.manifest);
        // What the runbook says a manifest short of signatures does.
        const short = await anode(["release", "verify", file, "--trusted-keys", vars.TRUST]);
        expect(short.code).toBe(1);
        expect(short.stderr).toContain(
          "1 of the 2 required signatures (signed by holder-a; not yet by holder-b)",
        );
      },
      "sign-second": () => {
        const signed = parseSignedManifest(readFileSync(join(vars.RELEASE, "manifest.json")));
        expect(signed.signatures.map((s) => s.keyId)).toEqual(["holder-a", "holder-b"]);
        expect(JSON.stringify(signed.manifest)).toBe(firstBody);
      },
      sums: () => {
        const sums = readFileSync(join(vars.RELEASE, "SHA256SUMS"), "utf8");
        expect(sums).toMatch(
          new RegExp(`  anode-app-${version}\\.cjs\n[0-9a-f]{64}  manifest\\.json\n$`),
        );
        expect(readFileSync(join(vars.RELEASE, "SHA256SUMS.sig"), "utf8")).toMatch(/^\S{88}\n$/);
      },
      verify: (r) => {
        expect(r.stdout).toContain(
          "signed by holder-a, holder-b (2 of 2 trusted keys, 2 required)",
        );
        expect(r.stdout).toContain(`anode-app-${version}.cjs: matches`);
        expect(r.stdout).toContain("SHA256SUMS: 2 files match, signed by holder-b");
      },
      "testnet-up": async () => {
        const ns = nodes();
        expect(ns).toHaveLength(4);
        for (const n of ns) expect(alive(n.pid), `node ${n.index} running`).toBe(true);
        const first = ns[0] as TestnetNodeInfo;
        before = {
          pids: ns.map((n) => n.pid),
          running: (await nodeApi<Status>(first, "GET", "/v1/upgrade/status")).running,
          mempool: await mempoolVersion(first),
        };
        expect(before.mempool).toBeDefined();
        expect(before.running).not.toBe(version);
      },
      publish: (r) => {
        expect(r.stdout).toContain(`release ${version} published`);
      },
      "wait-applied": async () => {
        for (const n of nodes()) {
          const s = await nodeApi<Status>(n, "GET", "/v1/upgrade/status");
          expect(s.running, `node ${n.index} runs the release`).toBe(version);
          expect(await mempoolVersion(n), `node ${n.index} mempool`).toBe(`${before.mempool}-next`);
        }
        // Hot-swapped in the running processes, not restarted.
        expect(nodes().map((n) => n.pid)).toEqual(before.pids);
      },
      smoke: (r) => {
        expect(r.stdout).toContain(`mempool@${before.mempool}-next`);
        expect(r.stdout).toMatch(/committed/);
      },
      rollback: async (r) => {
        expect(r.stdout).toContain(`rolled back from ${version}; running ${before.running}`);
        for (const n of nodes()) {
          const s = await nodeApi<Status>(n, "GET", "/v1/upgrade/status");
          expect(s.running, `node ${n.index} after the rollback`).toBe(before.running);
          expect(s.bad[version]).toBe("rolled back by the operator");
          expect(await mempoolVersion(n), `node ${n.index} mempool`).toBe(before.mempool);
        }
      },
      "testnet-down": () => {
        for (const pid of before.pids) expect(alive(pid), `pid ${pid} stopped`).toBe(false);
      },
    };

    for (const block of blocks) {
      const r = await run(block);
      try {
        await checks[block.name]?.(r);
      } catch (err) {
        throw new Error(
          `after runbook block "${block.name}": ${(err as Error).message}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
          { cause: err },
        );
      }
    }
  }, 600_000);
});
