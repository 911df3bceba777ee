import {
  BINARY_SWAP_ENV,
  RESTART_EXIT_CODE,
  SERVICE_DESCRIPTION,
  SYSTEM_USER,
} from "./serviceConstants";
import { type ServiceDefinition, serviceArgs } from "./serviceDefinition";

// systemd splits ExecStart on spaces unless a word is quoted.
function quoteWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const HEADER = `# Rendered from src/service/renderSystemdUnit.ts; edit that, not this file.`;

const RESTART = `# Restart after a crash, and always after exit ${RESTART_EXIT_CODE}: the node exits with ${RESTART_EXIT_CODE}
# (EX_TEMPFAIL) when it has put a new binary in place and wants to be started again.
# ${RESTART_EXIT_CODE} is a success, so an upgrade never marks the unit failed.
Restart=on-failure
RestartSec=2s
RestartForceExitStatus=${RESTART_EXIT_CODE}
SuccessExitStatus=${RESTART_EXIT_CODE}
# The node closes its store and peers on SIGTERM; give it time before SIGKILL.
TimeoutStopSec=60s`;

/**
 * The binary's folder is root's; a signed binary release the node fetched is put in place
 * by the binary in place, as root, before the node starts (`+`: outside the sandbox and
 * the User=; `-`: whatever it finds, the service starts).
 */
function binarySwap(def: ServiceDefinition): string {
  if (def.binarySwap === false) return "";
  const exe = quoteWord(def.command[0] ?? "anode");
  return `# Before every start, as root: verify a binary release the node staged in its data
# directory against this binary's release keys and swap it in (keeping .old), or put .old
# back when the new binary died on trial. The node itself cannot write its binary.
ExecStartPre=+-${exe} service apply-binary --system
Environment=${BINARY_SWAP_ENV}=privileged
`;
}

function systemUnit(def: ServiceDefinition): string {
  const user = SYSTEM_USER.linux;
  return `${HEADER}
# System service: runs \`anode start --system\` as the ${user} user, data in /var/lib/anode,
# config in /etc/anode/config.json. Install with the .deb, installers/linux/install.sh or
# \`sudo anode service install\`.
[Unit]
Description=${SERVICE_DESCRIPTION}
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=300
StartLimitBurst=10

[Service]
Type=simple
User=${user}
Group=${user}
ExecStart=${serviceArgs(def).map(quoteWord).join(" ")}
Environment=ANODE_LOG_FORMAT=json
${binarySwap(def)}${RESTART}
# Hundreds of peers and LevelDB's files need more than the default 1024.
LimitNOFILE=65536
UMask=0077

# Created (and chowned to the user) by systemd if missing; the only writable path.
StateDirectory=anode
StateDirectoryMode=0750
ConfigurationDirectory=anode
ConfigurationDirectoryMode=0750
ReadWritePaths=/var/lib/anode

# Hardening: the node needs its data directory and the network, nothing else.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RemoveIPC=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
# A filtered call fails with EPERM instead of killing the node mid-write.
SystemCallErrorNumber=EPERM
CapabilityBoundingSet=
AmbientCapabilities=
# Not MemoryDenyWriteExecute: V8's JIT needs writable-then-executable pages.

[Install]
WantedBy=multi-user.target
`;
}

function userUnit(def: ServiceDefinition): string {
  return `${HEADER}
# User service: runs \`anode start\` with the user's own data directory while the user's
# service manager runs. Install with \`anode service install --user\`; add
# \`loginctl enable-linger\` to keep it running after logout.
[Unit]
Description=${SERVICE_DESCRIPTION}

[Service]
Type=simple
ExecStart=${serviceArgs(def).map(quoteWord).join(" ")}
Environment=ANODE_LOG_FORMAT=json
${RESTART}
LimitNOFILE=65536
NoNewPrivileges=yes

[Install]
WantedBy=default.target
`;
}

/** The systemd unit for a system service or a `systemctl --user` service. */
export function renderSystemdUnit(def: ServiceDefinition): string {
  return def.scope === "system" ? systemUnit(def) : userUnit(def);
}
