import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  destroyNetwork,
  ensureNetwork,
  netnsHost,
  planNetwork,
  type TestnetNetwork,
} from "../../src/cli/commands/testnet/netns";
import { cleanEnv, run, runBuild } from "../e2e/binaryHarness";
import { bootContainer, type Container } from "../support/nspawn";
import { serviceNode, waitFor } from "../support/nspawnNode";
import { tempDir } from "../support/tempDir";
import { runAsync } from "./support/runAsync";

// Issue 13, item 6: a testnet laid over several hosts. `anode testnet bundle` writes one
// folder per host (config, node key, apply.sh); each host is a booted systemd container in
// its own network namespace on one bridge, running the .deb's service. The chain they
// validate together commits, and a transaction sent to one host is read on another.
// Never skipped: without root, debootstrap or systemd-nspawn this file fails and says why.

const HOSTS = 3;
const PREP_TIMEOUT_MS = 480_000;
const STEP_TIMEOUT_MS = 120_000;
const SHARE = "/srv/anode-share";
const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

interface ChainStatus {
  committedHeight: number;
  validators?: Array<{ id: string }>;
}

describe(`a testnet bundled for ${HOSTS} hosts, each a systemd container on one bridge`, () => {
  const tmp = tempDir("anode-hosts-");
  const share = join(tmp.path, "share");
  const net: TestnetNetwork = planNetwork(tmp.path, HOSTS, "10.252", {});
  const hosts = Array.from({ length: HOSTS }, (_, i) => netnsHost(net.prefix, i));
  const containers: Container[] = [];
  const timings: Record<string, number> = {};
  let bundle: { hosts: Array<{ host: string; id: string; validates: string[] }> };
  let debName = "";

  beforeAll(async () => {
    const t0 = Date.now();
    mkdirSync(share);
    ensureNetwork(net);
    // Boot while the binary and the package build.
    const booting = Promise.all(
      net.namespaces.map((ns, i) =>
        bootContainer({
          name: `anode-host-${i}-${process.pid}`,
          netns: ns,
          binds: [{ host: share, container: SHARE }],
        }),
      ),
    );
    booting.catch(() => undefined);
    await runBuild(["build/binary.mjs", "--target", "linux-x64", "--out-dir", share]);
    const exe = join(share, "anode-linux-x64");
    const deb = await runAsync(
      "sh",
      [
        "installers/linux/build-deb.sh",
        "--binary",
        exe,
        "--arch",
        "x64",
        "--version",
        version,
        "--out",
        join(share, "deb"),
      ],
      { timeoutMs: PREP_TIMEOUT_MS },
    );
    if (deb.code !== 0) throw new Error(`Cannot build the .deb: ${deb.stderr}`);
    timings.buildMs = Date.now() - t0;
    const made = await run(
      exe,
      [
        "--json",
        "testnet",
        "bundle",
        "--hosts",
        hosts.join(","),
        "--validators",
        String(HOSTS),
        "--out",
        join(share, "bundle"),
      ],
      cleanEnv({ HOME: join(tmp.path, "home") }),
    );
    if (made.code !== 0) throw new Error(`testnet bundle failed: ${made.stderr}`);
    bundle = JSON.parse(made.stdout);
    for (const c of await booting) containers.push(c);
    timings.readyMs = Date.now() - t0;
    const debFile = deb.stdout.trim();
    // As operators would: the bundle first, then the package, on all hosts but the last;
    // the last installs the package first (its service starts with a key of its own).
    debName = debFile.split("/").pop() as string;
    await Promise.all(
      containers.map(async (c, i) => {
        if (i < HOSTS - 1) await c.sh(`sh ${SHARE}/bundle/${hosts[i]}/apply.sh`);
        await c.sh(`dpkg -i ${SHARE}/deb/${debName}`, STEP_TIMEOUT_MS);
      }),
    );
  }, PREP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(containers.map((c) => c.stop()));
    const left = destroyNetwork(net);
    tmp.remove();
    console.log(`testnet hosts timings: ${JSON.stringify(timings)}`);
    expect(left).toEqual([]);
  }, 60_000);

  it("writes one private folder per host, each node named in the others' peers and validator set", () => {
    expect(bundle.hosts.map((h) => h.host)).toEqual(hosts);
    for (const h of bundle.hosts) {
      expect(h.validates).toEqual(["chain-0"]);
      const dir = join(share, "bundle", h.host);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, "node.key")).mode & 0o777).toBe(0o600);
      const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
      const others = bundle.hosts.filter((o) => o !== h);
      const peerIds = new Set((config.p2p.peers as Array<{ id: string }>).map((p) => p.id));
      const dialledBy = bundle.hosts.filter((o) =>
        JSON.parse(
          readFileSync(join(share, "bundle", o.host, "config.json"), "utf8"),
        ).p2p.peers.some((p: { id: string }) => p.id === h.id),
      );
      // With 3 hosts every pair is linked once, by one side.
      for (const o of others)
        expect(
          peerIds.has(o.id) || dialledBy.some((d) => d.id === o.id),
          `${h.host}-${o.host}`,
        ).toBe(true);
      expect(config.consensus.chains[0].validators.map((v: { id: string }) => v.id)).toEqual(
        bundle.hosts.map((x) => x.id),
      );
    }
    execFileSync("shellcheck", [join(share, "bundle", hosts[0] as string, "apply.sh")]);
  });

  it(
    "on a host that ran the package first, apply.sh refuses to replace its identity; --force moves it aside",
    async () => {
      const c = containers[HOSTS - 1] as Container;
      const node = serviceNode(c);
      const before = await node.answering(STEP_TIMEOUT_MS);
      const own = await node.cli<{ id: string }>(["id"]);
      expect(own.id).not.toBe(bundle.hosts[HOSTS - 1]?.id);
      const apply = `${SHARE}/bundle/${hosts[HOSTS - 1]}/apply.sh`;
      const refused = await c.exec(["sh", apply]);
      expect(refused.code, refused.stdout + refused.stderr).toBe(1);
      expect(refused.stderr).toContain("/var/lib/anode/node.key holds another node identity");
      const forced = await c.exec(["sh", apply, "--force"], { timeoutMs: STEP_TIMEOUT_MS });
      expect(forced.code, forced.stdout + forced.stderr).toBe(0);
      expect(forced.stdout).toMatch(
        /moved the old identity and data to \/var\/lib\/anode\/replaced-/,
      );
      await node.answering(STEP_TIMEOUT_MS, before.mainPid);
      expect((await node.cli<{ id: string }>(["id"])).id).toBe(bundle.hosts[HOSTS - 1]?.id);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    "runs as the package's service on every host, with the bundle's identity, and the chain commits across the bridge",
    async () => {
      for (const [i, c] of containers.entries()) {
        const node = serviceNode(c);
        await node.answering(STEP_TIMEOUT_MS);
        const id = await node.cli<{ id: string }>(["id"]);
        expect(id.id, hosts[i]).toBe(bundle.hosts[i]?.id);
        // It reaches the others on their own addresses, not through a shared loopback.
        const addr = execFileSync(
          "ip",
          [
            "netns",
            "exec",
            net.namespaces[i] as string,
            "ip",
            "-o",
            "-4",
            "addr",
            "show",
            "dev",
            "eth0",
          ],
          { encoding: "utf8" },
        );
        expect(addr).toContain(`${hosts[i]}/16`);
      }
      const heights = await Promise.all(
        containers.map((c, i) =>
          waitFor(
            `host ${hosts[i]} to commit height 3 of chain-0`,
            async () => {
              const s = await serviceNode(c).cli<ChainStatus>(["chain", "status"]);
              return s.committedHeight >= 3 ? s.committedHeight : undefined;
            },
            STEP_TIMEOUT_MS,
            serviceNode(c).context,
          ),
        ),
      );
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(3);

      // A transaction sent to the first host is committed and read on the last.
      const first = serviceNode(containers[0] as Container);
      const sent = await first.cli<{ id: string; status?: { state: string } }>([
        "tx",
        "submit",
        "--put",
        "bundled=yes",
        "--wait",
        "--timeout",
        "60000",
      ]);
      expect(sent.status?.state, JSON.stringify(sent)).toBe("committed");
      const last = serviceNode(containers[HOSTS - 1] as Container);
      const got = await waitFor(
        "the last host to read the first host's write",
        async () => {
          const r = await last
            .cli<{ value?: unknown }>(["state", "get", "bundled"])
            .catch(() => undefined);
          return r?.value === "yes" ? r : undefined;
        },
        STEP_TIMEOUT_MS,
        last.context,
      );
      expect(got.value).toBe("yes");
    },
    STEP_TIMEOUT_MS * 3,
  );
});
