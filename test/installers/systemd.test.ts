import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeArtifact, generateSigningKey, sha512Hex, signManifest } from "../../src/upgrade";
import { signBytes } from "../../src/upgrade/manifest/signingKey";
import { cleanEnv, newerVersion, run, runBuild, testKeys } from "../e2e/binaryHarness";
import { launch, type WatchedNode } from "../e2e/upgradeBinaryHarness";
import { bootContainer, type Container } from "../support/nspawn";
import { serviceNode, waitFor } from "../support/nspawnNode";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import { runAsync } from "./support/runAsync";

// Item 7 of issue 10: the real linux-x64 binary as a service of a real systemd, booted in
// a systemd-nspawn container (test/support/nspawn.ts). One container for the whole file:
// first the .deb (dpkg install, the CLI answers, kill -9 is restarted, a binary release is
// refused because dpkg owns the binary, purge leaves nothing), then install.sh (the same,
// plus binary releases that replace the binary in place: one that becomes permanent, one
// whose first process dies in its health window and is rolled back). Releases come from a
// second node on the host, peered over loopback (the container shares the host's network).
// Never skipped: without root, debootstrap or systemd-nspawn the file fails and says why.

const PREP_TIMEOUT_MS = 480_000;
const STEP_TIMEOUT_MS = 120_000;
/** The node's health window for a new binary inside the container. */
const HEALTH_WINDOW_MS = 15_000;
const MNT = "/srv/anode-test";
const INSTALLERS = "/srv/anode-installers";
/** install.sh's binary folder. */
const LIB = "/usr/local/lib/anode";

const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const newer = newerVersion(); // x.y.(z+1)-e2e.1
const newest = newer.replace(/-e2e\.1$/, "-e2e.2");

describe("the anode service under a real systemd (systemd-nspawn)", () => {
  const tmp = tempDir("anode-systemd-");
  const share = join(tmp.path, "share");
  const timings: Record<string, number> = {};
  let c: Container | undefined;
  let peer: WatchedNode | undefined;
  let peerFlags: string[] = [];
  const sums: Record<string, string> = {};
  let debFile = "";
  const oldExe = join(share, "old", "anode-linux-x64");
  let env: NodeJS.ProcessEnv = {};
  let apiPort = 0;
  let p2pPort = 0;
  let peerP2p = 0;

  const container = () => {
    if (c === undefined) throw new Error("Cannot test: the container did not boot");
    return c;
  };
  const node = () => serviceNode(container());

  beforeAll(async () => {
    const t0 = Date.now();
    mkdirSync(share);
    const keys = testKeys(share);
    const keyFile = join(share, "release.key");
    writeFileSync(keyFile, JSON.stringify(keys.key), { mode: 0o600 });
    // Boot while the binaries build: the root's first build is minutes, a boot is seconds.
    const booting = bootContainer({
      name: "anode-systemd-test",
      binds: [
        { host: share, container: MNT },
        { host: resolve("installers/linux"), container: INSTALLERS },
      ],
    });
    booting.catch(() => undefined);
    const buildEnv = { ...process.env, ANODE_TRUSTED_KEYS_FILE: keys.file };
    const build = (dir: string, extra: string[]) =>
      runBuild(
        ["build/binary.mjs", "--target", "linux-x64", "--out-dir", join(share, dir), ...extra],
        buildEnv,
      );
    await build("old", []);
    const debOut = join(share, "deb");
    const deb = runAsync(
      "sh",
      [
        "installers/linux/build-deb.sh",
        "--binary",
        oldExe,
        "--arch",
        "x64",
        "--version",
        version,
        "--out",
        debOut,
      ],
      { timeoutMs: PREP_TIMEOUT_MS },
    );
    await Promise.all([
      build("new", ["--app-version", newer]),
      build("newest", ["--app-version", newest]),
    ]);
    timings.buildBinariesMs = Date.now() - t0;
    env = cleanEnv({ HOME: join(tmp.path, "home") });
    for (const [dir, v] of [
      ["new", newer],
      ["newest", newest],
    ] as const) {
      const signed = await run(
        oldExe,
        [
          "release",
          "sign",
          "--key",
          keyFile,
          "--binary",
          `linux-x64=${join(share, dir, "anode-linux-x64")}`,
          "--release-version",
          v,
          "--out",
          join(share, dir, "manifest.json"),
        ],
        env,
      );
      if (signed.code !== 0) throw new Error(`Cannot sign the ${v} release: ${signed.stderr}`);
    }
    for (const dir of ["old", "new", "newest"])
      sums[dir] = sha512Hex(readFileSync(join(share, dir, "anode-linux-x64")));
    // install.sh's release folder: the binary, SHA256SUMS and its signature in one line
    // of base64 of the raw ed25519 signature.
    const rel = join(share, "release");
    mkdirSync(rel);
    copyFileSync(oldExe, join(rel, "anode-linux-x64"));
    const { createHash } = await import("node:crypto");
    const sumsText = `${createHash("sha256").update(readFileSync(oldExe)).digest("hex")}  anode-linux-x64\n`;
    writeFileSync(join(rel, "SHA256SUMS"), sumsText);
    writeFileSync(
      join(rel, "SHA256SUMS.sig"),
      `${Buffer.from(signBytes(Buffer.from(sumsText), keys.key)).toString("base64")}\n`,
    );
    const debBuilt = await deb;
    if (debBuilt.code !== 0) throw new Error(`Cannot build the .deb: ${debBuilt.stderr}`);
    debFile = debBuilt.stdout.trim();
    timings.prepareMs = Date.now() - t0;

    c = await booting;
    timings.bootMs = c.bootMs;
    timings.rootBuildMs = c.root.builtMs ?? 0;

    // The second node, on the host: the publisher. It only fetches (policy notify), so it
    // never replaces its own binary; it serves the release to the node in the container.
    [apiPort, p2pPort, peerP2p] = [await freePort(), await freePort(), await freePort()];
    const peerApi = await freePort();
    peerFlags = ["--api-port", String(peerApi)];
    // The container node's config, written before the package starts the service.
    writeFileSync(
      join(share, "config.json"),
      `${JSON.stringify({
        api: { port: apiPort },
        p2p: { listen: `127.0.0.1:${p2pPort}`, peers: [{ address: `127.0.0.1:${peerP2p}` }] },
        upgrade: { healthWindowMs: HEALTH_WINDOW_MS },
      })}\n`,
    );
  }, PREP_TIMEOUT_MS);

  afterAll(async () => {
    await peer?.stop();
    await c?.stop();
    tmp.remove();
    console.log(`systemd test timings: ${JSON.stringify(timings)}`);
  }, 60_000);

  let peers = 0;
  /** Starts the publishing node with a fresh data directory (it knows no release yet). */
  const startPeer = async () => {
    peers += 1;
    const flags = [...peerFlags, "--data-dir", join(tmp.path, `peer${peers}`)];
    peer = launch(oldExe, flags, {
      ...env,
      ANODE_P2P_LISTEN: `127.0.0.1:${peerP2p}`,
      ANODE_UPGRADE_POLICY: "notify",
    });
    await peer.ready(1);
    return flags;
  };
  let publisher: string[] | undefined;
  const stopPeer = async () => {
    await peer?.stop();
    peer = undefined;
    publisher = undefined;
  };
  const publish = async (dir: string) => {
    publisher ??= await startPeer();
    const r = await run(
      oldExe,
      [...publisher, "release", "publish", join(share, dir, "manifest.json")],
      env,
      60_000,
    );
    expect(r.code, r.stderr).toBe(0);
  };
  /** Waits until the service, restarted since `since`, answers as `version`. */
  const serviceRuns = (version: string, since: number, what: string, timeoutMs: number) =>
    waitFor(
      what,
      async () => {
        const s = await node()
          .answering(5_000, since)
          .catch(() => undefined);
        return s?.version === version ? s : undefined;
      },
      timeoutMs,
      node().context,
    );
  const placeConfig = () =>
    container().sh(
      `mkdir -p /etc/anode && install -m 0644 ${MNT}/config.json /etc/anode/config.json`,
    );

  describe("the .deb", () => {
    it(
      "installs with dpkg, starts the service as the anode user, and the CLI answers",
      async () => {
        await placeConfig();
        const started = Date.now();
        await container().sh(`dpkg -i ${MNT}/deb/${debFile.split("/").pop()}`, 120_000);
        const s = await node().answering(60_000);
        timings.debInstallToAnswerMs = Date.now() - started;
        expect(s.version).toBe(version);
        expect(await container().sh("systemctl is-enabled anode.service")).toBe("enabled\n");
        expect(await container().sh(`stat -c %U /proc/${s.mainPid}`)).toBe("anode\n");
        expect(await node().runningSha()).toBe(sums.old);
        expect(await container().sh("dpkg-query -S /usr/bin/anode")).toBe(
          "anode: /usr/bin/anode\n",
        );
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "kill -9 of the node: systemd starts it again and it answers",
      async () => {
        const before = await node().mainPid();
        await container().sh(`kill -9 ${before}`);
        const after = await node().answering(30_000, before);
        expect(after.mainPid).not.toBe(before);
        expect(after.version).toBe(version);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "refuses a binary release: dpkg owns /usr/bin/anode, the upgrade waits for the package manager",
      async () => {
        const pid = await node().mainPid();
        await publish("new");
        const refusal = await waitFor(
          `the .deb node to refuse binary release ${newer}`,
          async () => (await node().upgradeStatus()).refusals.find((r) => r.version === newer),
          60_000,
          node().context,
        );
        expect(refusal.reason).toMatch(/package manager owns this node's binary/);
        expect(await node().mainPid()).toBe(pid);
        expect(await node().runningSha()).toBe(sums.old);
        expect((await container().sh("sha512sum /usr/bin/anode")).split(" ")[0]).toBe(sums.old);
        expect(await container().sh("ls -a /usr/bin | grep anode")).toBe("anode\n");
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "dpkg --purge leaves no unit, user, process or file",
      async () => {
        // The publisher goes too: it would offer its release to the next install at once.
        await stopPeer();
        await container().sh("dpkg --purge anode", 120_000);
        await expectNothingLeft(container(), [
          "/usr/bin/anode",
          "/lib/systemd/system/anode.service",
        ]);
      },
      STEP_TIMEOUT_MS,
    );
  });

  describe("install.sh", () => {
    it(
      "installs from a signed release folder, starts the service, and the CLI answers",
      async () => {
        await placeConfig();
        const started = Date.now();
        await container().sh(
          `sh ${INSTALLERS}/install.sh --release-dir ${MNT}/release --trusted-keys ${MNT}/trusted-keys.json`,
          120_000,
        );
        const s = await node().answering(60_000);
        timings.installShToAnswerMs = Date.now() - started;
        expect(s.version).toBe(version);
        expect(await container().sh(`stat -c %U /proc/${s.mainPid}`)).toBe("anode\n");
        expect(await node().runningSha()).toBe(sums.old);
        // The binary and its folder are root's: the service account cannot replace them.
        expect(await container().sh(`stat -c %U:%a ${LIB} ${LIB}/anode`)).toBe(
          "root:755\nroot:755\n",
        );
        const write = await container().exec([
          "runuser",
          "-u",
          "anode",
          "--",
          "sh",
          "-c",
          `echo forged > ${LIB}/anode.forged`,
        ]);
        expect(write.code).not.toBe(0);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "kill -9 of the node: systemd starts it again and it answers",
      async () => {
        const before = await node().mainPid();
        await container().sh(`kill -9 ${before}`);
        const after = await node().answering(30_000, before);
        expect(after.mainPid).not.toBe(before);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "a binary release from the peer: staged by the node, verified and swapped in by root's pre-start step, systemd runs the new binary, .old kept",
      async () => {
        const before = await node().mainPid();
        await publish("new");
        const after = await serviceRuns(
          newer,
          before,
          `the service to run the ${newer} binary`,
          90_000,
        );
        // The process systemd runs executes the new bytes, not only reports a new version.
        expect(await node().runningSha()).toBe(sums.new);
        expect((await container().sh(`sha512sum ${LIB}/anode.old`)).split(" ")[0]).toBe(sums.old);
        expect(await container().sh(`stat -c %U ${LIB}/anode`)).toBe("root\n");
        // Exit 75 is a success to the unit (SuccessExitStatus), and only it is restarted
        // after a success (RestartForceExitStatus): Restart=on-failure leaves exit 0 alone.
        expect(await node().journal()).toMatch(
          /restarting into it[\s\S]*Deactivated successfully\.\n[\s\S]*Scheduled restart job[\s\S]*verified and put in place/,
        );
        expect((await node().upgradeStatus()).binary).toBe(newer);
        // The health window passes: the trial ends; .old stays as the rollback copy (only
        // root writes the folder) until the next binary release replaces it.
        await waitFor(
          "the new binary to become permanent (its trial over)",
          async () =>
            (await container().exec(["test", "-e", "/var/lib/anode/binary-trial.json"])).code === 1
              ? true
              : undefined,
          HEALTH_WINDOW_MS + 30_000,
          node().context,
        );
        expect(await container().sh("ls /var/lib/anode | grep -c binary-staged || true")).toBe(
          "0\n",
        );
        expect(await node().mainPid()).toBe(after.mainPid);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "a binary release whose node dies in its health window: the previous binary is back under systemd",
      async () => {
        const before = await node().mainPid();
        await publish("newest");
        const trial = await serviceRuns(
          newest,
          before,
          `the service to start the ${newest} binary`,
          90_000,
        );
        // The new binary's first node process dies on trial (as a crash on start would).
        await container().sh(`kill -9 ${trial.mainPid}`);
        const back = await serviceRuns(
          newer,
          trial.mainPid,
          `the service to be back on the ${newer} binary`,
          60_000,
        );
        expect(back.version).toBe(newer);
        expect(await node().runningSha()).toBe(sums.new);
        const st = await node().upgradeStatus();
        expect(st.bad[newest]).toMatch(/health window/);
        expect(await container().sh("systemctl is-active anode.service")).toBe("active\n");
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "a binary the service account stages itself is refused by root's pre-start step: the binary stays, the release is marked bad",
      async () => {
        // What a takeover of the anode account could try: a forged binary and a manifest
        // signed by a key of its own, left where the node stages releases, then a restart.
        const forged = join(share, "forged");
        mkdirSync(forged);
        const bytes = new TextEncoder().encode("#!/bin/sh\necho forged\n");
        const manifest = {
          format: 1 as const,
          product: "anode" as const,
          version: "9.9.9",
          channel: "stable" as const,
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          artifacts: [
            {
              kind: "binary" as const,
              platform: "linux-x64" as const,
              name: "anode-linux-x64",
              ...describeArtifact(bytes),
            },
          ],
        };
        const signed = { manifest, signatures: [signManifest(manifest, generateSigningKey("x"))] };
        writeFileSync(join(forged, "binary-staged"), bytes);
        writeFileSync(join(forged, "binary-staged.json"), JSON.stringify(signed));
        writeFileSync(
          join(forged, "binary-trial.json"),
          JSON.stringify({ version: "9.9.9", previous: newer, exe: `${LIB}/anode` }),
        );
        const before = await node().mainPid();
        await container().sh(
          `for f in binary-staged binary-staged.json binary-trial.json; do runuser -u anode -- cp ${MNT}/forged/$f /var/lib/anode/$f; done && systemctl restart anode.service`,
          60_000,
        );
        const after = await serviceRuns(newer, before, "the service to run again", 60_000);
        expect(after.version).toBe(newer);
        expect(await node().runningSha()).toBe(sums.new);
        expect((await container().sh(`sha512sum ${LIB}/anode`)).split(" ")[0]).toBe(sums.new);
        expect(await node().journal()).toMatch(/refused the staged binary, keeping/);
        expect((await node().upgradeStatus()).bad["9.9.9"]).toMatch(/pre-start step refused it/);
        expect(await container().sh("ls /var/lib/anode | grep -c binary-staged || true")).toBe(
          "0\n",
        );
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "uninstall.sh --purge leaves no unit, user, process or file",
      async () => {
        await container().sh(`sh ${INSTALLERS}/uninstall.sh --purge`, 60_000);
        await expectNothingLeft(container(), [
          "/usr/local/bin/anode",
          "/usr/local/lib/anode",
          "/etc/systemd/system/anode.service",
          "/etc/sysusers.d/anode.conf",
        ]);
      },
      STEP_TIMEOUT_MS,
    );
  });
});

async function expectNothingLeft(c: Container, paths: string[]): Promise<void> {
  for (const p of [
    ...paths,
    "/var/lib/anode",
    "/etc/anode",
    "/etc/systemd/system/multi-user.target.wants/anode.service",
  ]) {
    expect((await c.exec(["test", "-e", p])).code, `${p} is still there`).toBe(1);
  }
  expect((await c.exec(["getent", "passwd", "anode"])).code, "the anode user is left").toBe(2);
  expect((await c.exec(["getent", "group", "anode"])).code, "the anode group is left").toBe(2);
  const units = await c.exec(["systemctl", "list-unit-files", "--no-legend", "anode.service"]);
  expect(units.stdout.trim()).toBe("");
  const procs = await c.exec(["sh", "-c", "cat /proc/[0-9]*/comm 2>/dev/null | grep -x anode"]);
  expect(procs.stdout, "an anode process is left").toBe("");
  const owned = await c.exec([
    "sh",
    "-c",
    "find / -xdev -nouser -o -xdev -nogroup 2>/dev/null | head",
  ]);
  expect(owned.stdout, "files owned by a deleted account").toBe("");
}
