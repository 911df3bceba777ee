import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

/** How each node's link is made worse: one-way delay and jitter (netem) and loss (nftables). */
export interface Impairment {
  delayMs?: number;
  jitterMs?: number;
  lossPercent?: number;
}

/**
 * The network of a `--netns` testnet: a bridge in the host's namespace holding `.0.1` of
 * a /16, and one namespace per node whose `eth0` (a veth into the bridge) holds its own
 * address. The host reaches every node's API over the bridge; nodes reach each other
 * only through it, each with its own impairment on what it sends.
 */
export interface TestnetNetwork {
  bridge: string;
  /** The first two octets of the /16, e.g. "10.77". */
  prefix: string;
  namespaces: string[];
  /** Host-side veth names, one per node. */
  veths: string[];
  impairment: Impairment;
}

/** Runs a command; throws with its stderr. Replaced in tests that check what would run. */
export type Run = (cmd: string, args: string[], input?: string) => string;

export const run: Run = (cmd, args, input) =>
  execFileSync(cmd, args, {
    encoding: "utf8",
    input,
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 30_000,
  });

/** A short tag that tells this testnet's interfaces and namespaces from another's. */
export function netTag(dir: string): string {
  return createHash("sha256").update(dir).digest("hex").slice(0, 8);
}

/** Address of node `index` in a /16: x.y.(i / 250).(i % 250 + 2), never .0, .1 or .255. */
export function netnsHost(prefix: string, index: number): string {
  return `${prefix}.${Math.floor(index / 250)}.${(index % 250) + 2}`;
}

/** "10.77.0.0/16" → "10.77"; anything else is refused. */
export function parseSubnet(text: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.0\.0\/16$/.exec(text);
  const [a, b] = [Number(m?.[1]), Number(m?.[2])];
  if (m === null || a > 255 || b > 255 || a === 0 || a === 127 || a >= 224)
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot use --subnet ${text}: give a /16 such as 10.77.0.0/16 (not 0/8, 127/8 or multicast)`,
    );
  return `${a}.${b}`;
}

/** The /16 a testnet uses when none is given: 10.(128..191).0.0, chosen by its tag. */
export function defaultSubnet(tag: string): string {
  return `10.${128 + (Number.parseInt(tag.slice(0, 4), 16) % 64)}.0.0/16`;
}

export function planNetwork(
  dir: string,
  n: number,
  prefix: string,
  impairment: Impairment,
): TestnetNetwork {
  const tag = netTag(dir);
  return {
    bridge: `anb${tag}`,
    prefix,
    namespaces: Array.from({ length: n }, (_, i) => `anode-${tag}-${i}`),
    veths: Array.from({ length: n }, (_, i) => `av${tag}${i.toString(36)}`),
    impairment,
  };
}

/** Refuses early, with what to do, where namespaces cannot be made. */
export function checkNetnsAvailable(r: Run = run): void {
  if (process.platform !== "linux")
    throw cliError(
      EXIT.USAGE,
      "CLI_NETNS_UNAVAILABLE",
      "Cannot use --netns: network namespaces are Linux only",
    );
  if (typeof process.getuid === "function" && process.getuid() !== 0)
    throw cliError(
      EXIT.USAGE,
      "CLI_NETNS_UNAVAILABLE",
      "Cannot use --netns: creating network namespaces needs root (run it with sudo)",
    );
  try {
    r("ip", ["-V"]);
  } catch {
    throw cliError(
      EXIT.USAGE,
      "CLI_NETNS_UNAVAILABLE",
      "Cannot use --netns: the ip command (iproute2) is missing (apt-get install iproute2)",
    );
  }
}

function exists(r: Run, args: string[]): boolean {
  try {
    r("ip", args);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a /16 that the host already routes somewhere other than this testnet's bridge. */
export function checkSubnetFree(net: TestnetNetwork, r: Run = run): void {
  const clash = r("ip", ["-o", "-4", "route", "show"])
    .split("\n")
    .find((line) => line.startsWith(`${net.prefix}.`) && !line.includes(` dev ${net.bridge} `));
  if (clash !== undefined)
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot use ${net.prefix}.0.0/16 for the testnet: this host already routes it (${clash.trim()}); choose another with --subnet`,
    );
}

/**
 * Makes whatever part of the network is missing (after a reboot, all of it), so `up`
 * can be run again. Returns nothing; throws a CLI error naming the step that failed.
 */
export function ensureNetwork(net: TestnetNetwork, r: Run = run): void {
  const step = (what: string, cmd: string, args: string[], input?: string) => {
    try {
      r(cmd, args, input);
    } catch (err) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_NETNS_FAILED",
        `Cannot build the testnet network (${what}): ${firstLine(err)}`,
      );
    }
  };
  if (!exists(r, ["link", "show", net.bridge])) {
    step("bridge", "ip", ["link", "add", net.bridge, "type", "bridge"]);
    step("bridge address", "ip", ["addr", "add", `${net.prefix}.0.1/16`, "dev", net.bridge]);
  }
  step("bridge up", "ip", ["link", "set", net.bridge, "up"]);
  const present = new Set(
    r("ip", ["netns", "list"])
      .split("\n")
      .map((l) => l.split(" ")[0]),
  );
  net.namespaces.forEach((ns, i) => {
    if (present.has(ns)) return;
    const veth = net.veths[i] as string;
    step(`namespace ${ns}`, "ip", ["netns", "add", ns]);
    step(`veth of ${ns}`, "ip", [
      "link",
      "add",
      veth,
      "type",
      "veth",
      "peer",
      "name",
      "eth0",
      "netns",
      ns,
    ]);
    step(`veth of ${ns}`, "ip", ["link", "set", veth, "master", net.bridge, "up"]);
    const inside = (what: string, args: string[], input?: string) =>
      step(`${what} in ${ns}`, "ip", ["netns", "exec", ns, ...args], input);
    inside("address", ["ip", "addr", "add", `${netnsHost(net.prefix, i)}/16`, "dev", "eth0"]);
    inside("eth0 up", ["ip", "link", "set", "eth0", "up"]);
    inside("loopback up", ["ip", "link", "set", "lo", "up"]);
    impair(net, ns, r);
  });
}

function impair(net: TestnetNetwork, ns: string, r: Run): void {
  const { delayMs = 0, jitterMs = 0, lossPercent = 0 } = net.impairment;
  if (delayMs > 0 || jitterMs > 0) {
    try {
      r("ip", [
        "netns",
        "exec",
        ns,
        "tc",
        "qdisc",
        "replace",
        "dev",
        "eth0",
        "root",
        "netem",
        "delay",
        `${delayMs}ms`,
        `${jitterMs}ms`,
      ]);
    } catch (err) {
      const why = firstLine(err);
      throw cliError(
        EXIT.FAILURE,
        "CLI_NETEM_MISSING",
        /unknown/i.test(why)
          ? "Cannot add --delay or --jitter: this kernel has no netem queueing discipline (CONFIG_NET_SCH_NETEM; modprobe sch_netem where it is a module). --loss works without it"
          : `Cannot add --delay or --jitter with tc netem: ${why}`,
      );
    }
  }
  if (lossPercent > 0) {
    // Random drops of what the node sends, in the kernel: TCP sees real loss and retransmits.
    const perTenThousand = Math.round(lossPercent * 100);
    const rules = `table inet anode_impair {
  chain out {
    type filter hook output priority 0; policy accept;
    oifname "eth0" numgen random mod 10000 < ${perTenThousand} drop
  }
}
`;
    try {
      r("ip", ["netns", "exec", ns, "nft", "-f", "-"], rules);
    } catch (err) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_NETNS_FAILED",
        `Cannot add --loss with nftables in ${ns} (apt-get install nftables): ${firstLine(err)}`,
      );
    }
  }
}

/** Removes the namespaces and the bridge; what is already gone is skipped. */
export function destroyNetwork(net: TestnetNetwork, r: Run = run): string[] {
  const failures: string[] = [];
  // Deleting a veth takes its peer at once; a namespace's own links go only when the
  // kernel gets round to freeing it, which would leave them listed for a while.
  for (const veth of net.veths) {
    try {
      r("ip", ["link", "del", veth]);
    } catch (err) {
      if (!/Cannot find device|does not exist/i.test(firstLine(err)))
        failures.push(`${veth}: ${firstLine(err)}`);
    }
  }
  for (const ns of net.namespaces) {
    try {
      r("ip", ["netns", "del", ns]);
    } catch (err) {
      if (!/No such file|not found|Invalid/i.test(firstLine(err)))
        failures.push(`${ns}: ${firstLine(err)}`);
    }
  }
  if (exists(r, ["link", "show", net.bridge])) {
    try {
      r("ip", ["link", "del", net.bridge]);
    } catch (err) {
      failures.push(`${net.bridge}: ${firstLine(err)}`);
    }
  }
  return failures;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (typeof e.stderr === "string" && e.stderr.trim()) || e.message || String(err);
  return text.split("\n")[0] as string;
}
