import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { renderSysusersConf } from "../../../service";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadP2P } from "../../lazy";
import { parseIntOption } from "../../parsers";
import { planTestnet } from "./planTestnet";
import { chainSpecs, type NodeKey, peering } from "./testnetLayout";

interface BundleOptions extends GlobalOptions {
  hosts: string;
  out: string;
  port: number;
  degree: number;
  networkId: string;
  validators?: number;
  chains: number;
}

/** An IPv4 address or a DNS name: what a peer address may start with. */
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export function parseHosts(text: string): string[] {
  const hosts = text
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
  const bad = hosts.find((h) => !HOST.test(h));
  if (bad !== undefined)
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot use host ${JSON.stringify(bad)}: give IPv4 addresses or DNS names, comma-separated`,
    );
  if (hosts.length < 2 || new Set(hosts).size !== hosts.length)
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      "Cannot make a bundle: --hosts needs two or more different hosts",
    );
  return hosts;
}

/**
 * Run as root on the host, from the bundle's folder, before or after installing anode:
 * puts the config and the node key where the installed service reads them, owned by the
 * service's account (made here, as the package's sysusers.d line makes it, when the package
 * is not installed yet), and (re)starts the service if it runs. A data directory that
 * already holds another identity (the service ran before the bundle came) is moved aside
 * only with --force: its signatures and chain data belong to that other node.
 */
export function applyScript(): string {
  const sysusers = (
    renderSysusersConf()
      .split("\n")
      .find((l) => l.startsWith("u ")) ?? ""
  ).trim();
  return `#!/bin/sh
# Installs this host's part of an anode testnet (written by anode testnet bundle).
# Run as root, before or after installing anode: sh apply.sh [--force]
# --force: /var/lib/anode holds another node's identity (the service ran before this
# bundle was applied); move what it holds to /var/lib/anode/replaced-<time> first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
force=no
[ "\${1:-}" = "--force" ] && force=yes
if [ "$(id -u)" -ne 0 ]; then
  echo "apply.sh: run as root (sudo sh apply.sh)" >&2
  exit 2
fi
data=/var/lib/anode
key="$data/node.key"
have_systemd=no
command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && have_systemd=yes
was_running=no
if [ "$have_systemd" = yes ] && systemctl is-active --quiet anode.service; then was_running=yes; fi
if [ -f "$key" ] && ! cmp -s "$key" "$here/node.key"; then
  if [ "$force" != yes ]; then
    echo "apply.sh: $key holds another node identity; pass --force to move it and its data aside" >&2
    exit 1
  fi
  [ "$was_running" = yes ] && systemctl stop anode.service
  aside="$data/replaced-$(date +%Y%m%dT%H%M%S)"
  mkdir -m 0700 "$aside"
  for f in "$data"/*; do
    case "$f" in "$data"/replaced-*) ;; *) mv "$f" "$aside"/ ;; esac
  done
  echo "apply.sh: moved the old identity and data to $aside"
fi
if ! id anode >/dev/null 2>&1; then
  if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers --inline '${sysusers}'
  else
    useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin anode
  fi
fi
install -d -m 0755 /etc/anode
install -m 0644 "$here/config.json" /etc/anode/config.json
install -d -m 0750 -o anode -g anode "$data"
install -m 0600 -o anode -g anode "$here/node.key" "$key"
if [ "$have_systemd" = yes ] && systemctl is-enabled --quiet anode.service 2>/dev/null; then
  systemctl restart anode.service
fi
echo "apply.sh: anode config and node key in place"
`;
}

export const bundleCommand: CommandSpec = {
  command: "bundle",
  describe:
    "write a testnet over several hosts: per host a folder with its config, node key and apply.sh",
  options: [
    {
      flags: "--hosts <list>",
      describe: "the hosts' addresses or names, comma-separated (one node each)",
    },
    {
      flags: "--out <dir>",
      describe: "where to write the bundles (default ./testnet-hosts; must not exist)",
      default: "testnet-hosts",
    },
    {
      flags: "--port <port>",
      describe: "p2p port on every host (default 7711)",
      parse: parseIntOption("--port", 1, 65_535),
      default: 7711,
    },
    {
      flags: "--degree <k>",
      describe: "peers per node (default 6)",
      parse: parseIntOption("--degree", 1, 64),
      default: 6,
    },
    {
      flags: "--network-id <id>",
      describe: "network id of the testnet (default anode-testnet)",
      default: "anode-testnet",
    },
    {
      flags: "--validators <v>",
      describe: "run consensus: the first v hosts validate chain-0, every host follows it",
      parse: parseIntOption("--validators", 1, 256),
    },
    {
      flags: "--chains <c>",
      describe: "with --validators: c chains, each validated by v hosts",
      parse: parseIntOption("--chains", 1, 16),
      default: 1,
    },
  ],
  examples: `Examples:
  anode testnet bundle --hosts 10.0.0.11,10.0.0.12,10.0.0.13,10.0.0.14 --validators 4
  scp -r testnet-hosts/10.0.0.11 root@10.0.0.11:anode-bundle
  ssh root@10.0.0.11 sh anode-bundle/apply.sh   # on every host, with anode installed`,
  async handler({ options, io }) {
    const o = options as BundleOptions;
    if (o.hosts === undefined)
      throw cliError(EXIT.USAGE, "CLI_BAD_OPTION", "Cannot make a bundle: give --hosts");
    const hosts = parseHosts(o.hosts);
    const out = resolve(o.out);
    if (existsSync(out) && readdirSync(out).length > 0)
      throw cliError(
        EXIT.USAGE,
        "CLI_TESTNET_EXISTS",
        `Cannot write bundles to ${out}: it is not empty (its keys may be in use; choose another --out)`,
      );
    const plan = planTestnet(hosts.length, o.degree, o.port).map((p) => ({
      ...p,
      host: hosts[p.index] as string,
    }));
    const { loadOrCreateIdentity } = await loadP2P();
    const keys: NodeKey[] = [];
    await mkdir(out, { recursive: true });
    for (const host of hosts) {
      const dir = join(out, host);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const identity = loadOrCreateIdentity(dir);
      keys.push({ id: identity.id, publicKey: Buffer.from(identity.publicKey).toString("base64") });
    }
    const chains = chainSpecs(keys, o.validators, o.chains);
    const links = peering(plan, keys);
    for (const [i, host] of hosts.entries()) {
      const dir = join(out, host);
      const config = {
        node: { networkId: o.networkId },
        // Every interface: a host's public address is often not on any of them (NAT).
        p2p: { listen: `0.0.0.0:${o.port}`, peers: links[i]?.peers ?? [] },
        ...(chains.length === 0 ? {} : { consensus: { chains } }),
      };
      await writeFile(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
      await writeFile(join(dir, "apply.sh"), applyScript());
      await chmod(join(dir, "apply.sh"), 0o755);
    }
    const summary = {
      networkId: o.networkId,
      port: o.port,
      hosts: hosts.map((host, i) => ({
        host,
        id: (keys[i] as NodeKey).id,
        publicKey: (keys[i] as NodeKey).publicKey,
        validates: chains
          .filter((c) => c.validators.some((v) => v.id === (keys[i] as NodeKey).id))
          .map((c) => c.chainId),
        dir: join(out, host),
      })),
    };
    await writeFile(join(out, "hosts.json"), `${JSON.stringify(summary, null, 2)}\n`);
    if (o.json) printJson(io, { out, ...summary });
    else {
      println(io, `bundles for ${hosts.length} hosts in ${out}:`);
      for (const h of summary.hosts)
        println(
          io,
          `  ${h.host.padEnd(20)} ${h.id.slice(0, 12)} ${h.validates.length > 0 ? `validates ${h.validates.join(",")}` : "follows"}`,
        );
      println(
        io,
        "copy each host's folder to it and run `sh apply.sh` there as root (node keys inside: keep them private)",
      );
    }
    return EXIT.OK;
  },
};
