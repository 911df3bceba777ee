import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { ensureNspawnRoot, type RootBuild } from "./nspawnRoot";
import { runGroup } from "./runGroup";

// A booted systemd in a systemd-nspawn container, for tests that need a real service
// manager. The cached Debian root (nspawnRoot.ts) stays untouched: each container boots
// it with --volatile=overlay, so its writes go to a tmpfs upper layer that vanishes with
// it (no copy of the root per test file). The container keeps the host's network
// namespace (the node only listens on loopback, on the unique ports a test gives it)
// unless it is given one of its own (`netns`).
// --register=no and --keep-unit because the host's own systemd is not running.

export { NSPAWN_ROOT, requireNspawn } from "./nspawnRoot";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Bind {
  host: string;
  container: string;
  readOnly?: boolean;
}

export interface Container {
  /** The host pid of the container's systemd (its pid 1). */
  readonly initPid: number;
  readonly root: RootBuild;
  /** How long it took from spawning systemd-nspawn to running/degraded. */
  readonly bootMs: number;
  /** Runs a program inside (as root), bounded in time; never throws. */
  exec(argv: string[], o?: { timeoutMs?: number; input?: string }): Promise<Ran>;
  /** `sh -c script` inside; throws with both outputs unless it exits 0. */
  sh(script: string, timeoutMs?: number): Promise<string>;
  /** What the container printed on its console so far. */
  console(): string;
  stop(): Promise<void>;
}

const BOOT_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const EXEC_TIMEOUT_MS = 30_000;
const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Boots a container of the cached root (built first if needed); fails saying why. */
export async function bootContainer(o: {
  name: string;
  binds?: Bind[];
  /** A network namespace (`ip netns add`) to run in, instead of the host's network. */
  netns?: string;
}): Promise<Container> {
  const root = await ensureNspawnRoot();
  const started = Date.now();
  const args = [
    "--register=no",
    "--keep-unit",
    "--quiet",
    `--machine=${o.name}`,
    "-D",
    root.root,
    "--volatile=overlay",
    ...(o.netns === undefined ? [] : [`--network-namespace-path=/run/netns/${o.netns}`]),
    ...(o.binds ?? []).map(
      (b) => `--bind${b.readOnly === false ? "" : "-ro"}=${b.host}:${b.container}`,
    ),
    "-b",
    "--console=passive",
  ];
  const nspawn = spawn("systemd-nspawn", args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const add = (d: Buffer) => {
    out = (out + d.toString()).slice(-32_000);
  };
  nspawn.stdout?.on("data", add);
  nspawn.stderr?.on("data", add);
  const exited = new Promise<number | null>((r) =>
    nspawn.once("exit", (code, signal) => r(code ?? (signal ? 128 : null))),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const fail = async (why: string): Promise<never> => {
    await kill(nspawn, undefined, exited);
    throw new Error(
      `Cannot boot the systemd container (systemd-nspawn ${args.join(" ")}): ${why}\n--- console ---\n${out.slice(-8000)}`,
    );
  };

  const deadline = started + BOOT_TIMEOUT_MS;
  let initPid: number | undefined;
  while (initPid === undefined) {
    if (gone) return fail(`systemd-nspawn exited with ${nspawn.exitCode}`);
    if (Date.now() > deadline) return fail("no container init appeared");
    initPid = containerInit(nspawn.pid ?? -1);
    if (initPid === undefined) await sleep(100);
  }
  const pid = initPid;
  const exec = (argv: string[], x: { timeoutMs?: number; input?: string } = {}) =>
    nsenter(pid, argv, x.timeoutMs ?? EXEC_TIMEOUT_MS, x.input);

  let state = "";
  for (;;) {
    if (gone) return fail(`systemd-nspawn exited with ${nspawn.exitCode}`);
    const r = await exec(["systemctl", "is-system-running"], { timeoutMs: 5_000 });
    state = r.stdout.trim();
    if (state === "running" || state === "degraded") break;
    if (Date.now() > deadline) {
      const failed = await exec(["systemctl", "--failed", "--no-pager"], { timeoutMs: 5_000 });
      return fail(
        `systemctl is-system-running still says "${state}" after ${BOOT_TIMEOUT_MS} ms\n${r.stderr}${failed.stdout}`,
      );
    }
    await sleep(200);
  }
  const bootMs = Date.now() - started;

  return {
    initPid: pid,
    root,
    bootMs,
    exec,
    async sh(script, timeoutMs) {
      const r = await exec(["sh", "-c", script], timeoutMs === undefined ? {} : { timeoutMs });
      if (r.code !== 0) {
        throw new Error(
          `Cannot run in the container (exit ${r.code}): ${script}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
        );
      }
      return r.stdout;
    },
    console: () => out,
    stop: () => kill(nspawn, pid, exited),
  };
}

/** The container's pid 1: nspawn's descendant whose pid in its own namespace is 1. */
function containerInit(nspawnPid: number): number | undefined {
  const parents = new Map<number, number>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const status = readFileSync(`/proc/${e}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const nspid = /^NSpid:\s+(.+)$/m.exec(status)?.[1]?.trim().split(/\s+/);
      parents.set(Number(e), ppid);
      if (nspid === undefined || nspid.length < 2 || nspid[nspid.length - 1] !== "1") continue;
      for (let p = ppid, hops = 0; p > 1 && hops < 5; p = parents.get(p) ?? ppidOf(p), hops++) {
        if (p === nspawnPid) return Number(e);
      }
    } catch {
      // The process ended while being read.
    }
  }
  return undefined;
}

function ppidOf(pid: number): number {
  try {
    return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  } catch {
    return 0;
  }
}

function nsenter(pid: number, argv: string[], timeoutMs: number, input?: string): Promise<Ran> {
  return runGroup(
    "nsenter",
    ["-t", String(pid), "-m", "-u", "-i", "-n", "-p", "-r", "-w", "--", ...argv],
    {
      env: { PATH, HOME: "/root", LANG: "C.UTF-8", TERM: "dumb" },
      timeoutMs,
      timeoutNote: `\n(killed after ${timeoutMs} ms: ${argv.join(" ")})`,
      input: input ?? "",
    },
  ).then(({ code, stdout, stderr }) => ({ code, stdout, stderr }));
}

/**
 * Powers the container off, and if it is not gone in time kills its pid 1 (which takes
 * every process of its pid namespace with it) and nspawn's process group.
 */
async function kill(
  nspawn: ChildProcess,
  initPid: number | undefined,
  exited: Promise<number | null>,
): Promise<void> {
  if (nspawn.exitCode !== null || nspawn.signalCode !== null) return;
  if (initPid !== undefined) {
    void nsenter(initPid, ["systemctl", "poweroff", "--no-block"], 5_000);
    if (await within(exited, STOP_TIMEOUT_MS)) return;
    signal(initPid, "SIGKILL");
  }
  signal(-(nspawn.pid ?? 0), "SIGTERM");
  if (await within(exited, 5_000)) return;
  signal(-(nspawn.pid ?? 0), "SIGKILL");
  await within(exited, 5_000);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  const done = await Promise.race([p.then(() => true as const), t]);
  clearTimeout(timer);
  return done;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
