#!/bin/sh
# Installs anode on Linux: fetches the binary for this machine's architecture, checks the
# ed25519 signature of SHA256SUMS against the release keys and the binary's checksum,
# installs it, creates the `anode` system account, /etc/anode and /var/lib/anode, and
# installs and enables the hardened systemd unit.
#
#   curl -fsSL <release-url>/install.sh | sudo sh
#   sudo sh install.sh --release-dir ./dist/release            # offline, from local files
#   sh install.sh --release-dir DIR --root /tmp/r --no-enable   # into a staging root
#
# Needs: openssl (1.1.1 or newer, for Ed25519), curl or wget unless --release-dir.
set -eu

# The latest release's files; override with --base-url or ANODE_BASE_URL.
DEFAULT_BASE_URL="https://github.com/anode-network/anode/releases/latest/download"

# BEGIN GENERATED KEYS (src/service; run: node build/render-service-files.mjs)
ANODE_TRUSTED_KEYS=$(cat <<'ANODE_KEYS_EOF'
3KhPFPcAlgnc0nzkLnmwjzBxEsLtjs0nQN1nIQ1tCso=
ANODE_KEYS_EOF
)
# END GENERATED KEYS

# BEGIN GENERATED UNIT (src/service; run: node build/render-service-files.mjs)
ANODE_UNIT=$(cat <<'ANODE_UNIT_EOF'
# Rendered from src/service/renderSystemdUnit.ts; edit that, not this file.
# System service: runs `anode start --system` as the anode user, data in /var/lib/anode,
# config in /etc/anode/config.json. Install with the .deb, installers/linux/install.sh or
# `sudo anode service install`.
[Unit]
Description=anode: a node for decentralised networks
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=300
StartLimitBurst=10

[Service]
Type=simple
User=anode
Group=anode
ExecStart=/usr/local/bin/anode start --system
Environment=ANODE_LOG_FORMAT=json
# Before every start, as root: verify a binary release the node staged in its data
# directory against this binary's release keys and swap it in (keeping .old), or put .old
# back when the new binary died on trial. The node itself cannot write its binary.
ExecStartPre=+-/usr/local/bin/anode service apply-binary --system
Environment=ANODE_BINARY_SWAP=privileged
# Restart after a crash, and always after exit 75: the node exits with 75
# (EX_TEMPFAIL) when it has put a new binary in place and wants to be started again.
# 75 is a success, so an upgrade never marks the unit failed.
Restart=on-failure
RestartSec=2s
RestartForceExitStatus=75
SuccessExitStatus=75
# The node closes its store and peers on SIGTERM; give it time before SIGKILL.
TimeoutStopSec=60s
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
ANODE_UNIT_EOF
)
# END GENERATED UNIT

# BEGIN GENERATED SYSUSERS (src/service; run: node build/render-service-files.mjs)
ANODE_SYSUSERS=$(cat <<'ANODE_SYSUSERS_EOF'
# Rendered from src/service/renderSysusersConf.ts; edit that, not this file.
u anode - "anode node" /var/lib/anode
ANODE_SYSUSERS_EOF
)
# END GENERATED SYSUSERS

usage() {
  cat <<'USAGE'
Usage: install.sh [options]
  --release-dir DIR     take the release files from DIR (env ANODE_RELEASE_DIR)
  --base-url URL        download them from URL (env ANODE_BASE_URL)
  --root DIR            install under DIR instead of / (env DESTDIR); for packaging and tests
  --libdir DIR          where the binary lives, root's; the unit's root pre-start step
                        swaps in binary releases there (default /usr/local/lib/anode)
  --bindir DIR          where the `anode` command links to it (default /usr/local/bin)
  --arch x64|arm64      override the detected architecture
  --trusted-keys FILE   release keys as trusted-keys.json (default: the keys built in)
  --pubkey BASE64       trust this raw ed25519 public key (repeatable)
  --no-enable           install the unit but do not enable or start it
  --no-start            enable the unit but do not start it
  -h, --help            show this help
USAGE
}

say() { printf 'anode-install: %s\n' "$*"; }
warn() { printf 'anode-install: warning: %s\n' "$*" >&2; }
die() {
  printf 'anode-install: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

RELEASE_DIR="${ANODE_RELEASE_DIR:-}"
BASE_URL="${ANODE_BASE_URL:-$DEFAULT_BASE_URL}"
ROOT="${DESTDIR:-/}"
BINDIR=/usr/local/bin
LIBDIR=/usr/local/lib/anode
ARCH=""
KEYS_FILE=""
PUBKEYS=""
ENABLE=1
START=1

while [ $# -gt 0 ]; do
  case "$1" in
    --release-dir) RELEASE_DIR="${2:?--release-dir needs a directory}"; shift 2 ;;
    --base-url) BASE_URL="${2:?--base-url needs a URL}"; shift 2 ;;
    --root) ROOT="${2:?--root needs a directory}"; shift 2 ;;
    --bindir) BINDIR="${2:?--bindir needs a directory}"; shift 2 ;;
    --libdir) LIBDIR="${2:?--libdir needs a directory}"; shift 2 ;;
    --arch) ARCH="${2:?--arch needs x64 or arm64}"; shift 2 ;;
    --trusted-keys) KEYS_FILE="${2:?--trusted-keys needs a file}"; shift 2 ;;
    --pubkey) PUBKEYS="$PUBKEYS ${2:?--pubkey needs a base64 key}"; shift 2 ;;
    --no-enable) ENABLE=0; START=0; shift ;;
    --no-start) START=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "Cannot install: unknown option $1" ;;
  esac
done

# "" for the real root, so "$R/etc" is always the right path.
R="${ROOT%/}"
case "$BINDIR" in /*) ;; *) die "Cannot install: --bindir must be absolute" ;; esac
case "$LIBDIR" in /*) ;; *) die "Cannot install: --libdir must be absolute" ;; esac

[ "$(uname -s)" = Linux ] || die "Cannot install: this script is for Linux (use Homebrew on macOS, install.ps1 on Windows)"
if [ -z "$ARCH" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) ARCH=x64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    *) die "Cannot install: no anode build for $(uname -m) (there are x64 and arm64)" ;;
  esac
fi
case "$ARCH" in x64 | arm64) ;; *) die "Cannot install: --arch must be x64 or arm64" ;; esac
have openssl || die "Cannot install: openssl is needed to check the release signature"
if [ -z "$R" ] && [ "$(id -u)" != 0 ]; then
  die "Cannot install: run as root (sudo), or pass --root DIR to install into a staging root"
fi

NAME="anode-linux-$ARCH"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

fetch() {
  if [ -n "$RELEASE_DIR" ]; then
    [ -f "$RELEASE_DIR/$1" ] || die "Cannot install: $RELEASE_DIR/$1 is missing"
    cp "$RELEASE_DIR/$1" "$TMP/$1"
  elif have curl; then
    curl -fsSL --proto '=https' --tlsv1.2 -o "$TMP/$1" "$BASE_URL/$1" || die "Cannot download $BASE_URL/$1"
  elif have wget; then
    wget -q -O "$TMP/$1" "$BASE_URL/$1" || die "Cannot download $BASE_URL/$1"
  else
    die "Cannot install: neither curl nor wget is installed (or pass --release-dir)"
  fi
}

# The trusted keys, one base64 raw key a line: --pubkey, else --trusted-keys, else built in.
trusted_keys() {
  if [ -n "$PUBKEYS" ]; then
    # shellcheck disable=SC2086 # one key a word, split on purpose
    printf '%s\n' $PUBKEYS
  elif [ -n "$KEYS_FILE" ]; then
    [ -f "$KEYS_FILE" ] || die "Cannot read $KEYS_FILE"
    # trusted-keys.json: { "threshold": 1, "keys": [{ "id": ..., "publicKey": "<base64>" }] }
    tr -d '\n\r' <"$KEYS_FILE" | grep -o '"publicKey"[[:space:]]*:[[:space:]]*"[^"]*"' |
      sed 's/.*"\([^"]*\)"$/\1/'
  else
    printf '%s' "$ANODE_TRUSTED_KEYS"
  fi
}

# openssl reads Ed25519 public keys as SubjectPublicKeyInfo, not as the raw 32 bytes a
# trusted-keys.json holds: the DER form is a fixed 12-byte prefix (SEQUENCE, the Ed25519
# OID 1.3.101.112, BIT STRING) followed by the raw key, which openssl turns into PEM.
raw_key_to_pem() {
  printf '%s' "$1" | openssl base64 -d -A >"$TMP/key.raw" 2>/dev/null || return 1
  [ "$(wc -c <"$TMP/key.raw" | tr -d ' ')" = 32 ] || return 1
  { printf '\060\052\060\005\006\003\053\145\160\003\041\000'; cat "$TMP/key.raw"; } >"$TMP/key.der"
  openssl pkey -pubin -inform DER -in "$TMP/key.der" -out "$2" 2>/dev/null
}

verify_signature() {
  tr -d '\n\r ' <"$TMP/SHA256SUMS.sig" | openssl base64 -d -A >"$TMP/sig.bin" 2>/dev/null ||
    die "Cannot verify SHA256SUMS: SHA256SUMS.sig is not base64"
  keys=$(trusted_keys)
  [ -n "$keys" ] || die "Cannot verify SHA256SUMS: no trusted release keys (pass --trusted-keys or --pubkey)"
  for key in $keys; do
    raw_key_to_pem "$key" "$TMP/key.pem" || die "Cannot verify SHA256SUMS: bad trusted key $key"
    if openssl pkeyutl -verify -pubin -inkey "$TMP/key.pem" -rawin \
      -in "$TMP/SHA256SUMS" -sigfile "$TMP/sig.bin" >/dev/null 2>&1; then
      return 0
    fi
  done
  die "Cannot install: SHA256SUMS.sig is not a valid signature by a trusted release key"
}

verify_checksum() {
  expected=$(awk -v f="$NAME" '{ n = $2; sub(/^\*/, "", n); if (n == f) print $1 }' "$TMP/SHA256SUMS")
  [ -n "$expected" ] || die "Cannot install: SHA256SUMS lists no $NAME"
  actual=$(openssl dgst -sha256 -r "$TMP/$NAME" | cut -d' ' -f1)
  [ "$expected" = "$actual" ] || die "Cannot install: $NAME has sha256 $actual, SHA256SUMS says $expected"
}

account_id() { # $1 passwd|group: the anode account's numeric id in the target root
  [ -f "$R/etc/$1" ] && awk -F: '$1 == "anode" { print $3 }' "$R/etc/$1"
}

create_account() {
  conf="$R/etc/sysusers.d/anode.conf"
  mkdir -p "$R/etc/sysusers.d"
  printf '%s\n' "$ANODE_SYSUSERS" >"$conf"
  [ -n "$(account_id passwd || true)" ] && return 0
  if have systemd-sysusers; then
    if [ -z "$R" ]; then systemd-sysusers "$conf"; else systemd-sysusers --root="$R" "$conf"; fi
  elif [ -z "$R" ] && have useradd; then
    useradd --system --user-group --home-dir /var/lib/anode --no-create-home \
      --shell /usr/sbin/nologin --comment "anode node" anode
  elif [ -z "$R" ] && have adduser; then
    adduser -S -D -H -h /var/lib/anode -s /sbin/nologin anode # BusyBox (Alpine)
  else
    warn "cannot create the anode account under $ROOT (no systemd-sysusers)"
  fi
}

make_dirs() {
  uid=$(account_id passwd || true)
  gid=$(account_id group || true)
  mkdir -p "$R/var/lib/anode" "$R/etc/anode"
  chmod 0750 "$R/var/lib/anode" "$R/etc/anode"
  if [ -n "$uid" ] && [ -n "$gid" ]; then
    # The node writes its data; it only reads its config, which root owns.
    chown "$uid:$gid" "$R/var/lib/anode" || warn "cannot chown $R/var/lib/anode"
    chown "0:$gid" "$R/etc/anode" || warn "cannot chown $R/etc/anode"
  fi
}

# The binary lives in its own folder, root's like the binary itself; the `anode` command
# is a link to it. The node cannot write it: a signed binary release it fetches is left in
# /var/lib/anode, and the unit's ExecStartPre (as root, before every start) verifies it
# against the release keys of the binary in place and swaps it in, keeping anode.old.
install_binary() {
  mkdir -p "$R$LIBDIR" "$R$BINDIR"
  # Write beside, then rename: a running node keeps its old inode, nothing sees half a file.
  cp "$TMP/$NAME" "$R$LIBDIR/.anode.new"
  chmod 0755 "$R$LIBDIR/.anode.new"
  mv -f "$R$LIBDIR/.anode.new" "$R$LIBDIR/anode"
  chmod 0755 "$R$LIBDIR"
  # An install.sh before this one gave the folder to the service account: take it back.
  if [ "$(id -u)" = 0 ]; then
    chown 0:0 "$R$LIBDIR" "$R$LIBDIR/anode" || warn "cannot chown $R$LIBDIR to root"
  fi
  rm -f "$R$LIBDIR/anode.old"
  ln -sfn "$LIBDIR/anode" "$R$BINDIR/anode"
}

install_unit() {
  mkdir -p "$R/etc/systemd/system"
  printf '%s\n' "$ANODE_UNIT" | sed -e "s#/usr/local/bin/anode#$LIBDIR/anode#g" \
    >"$R/etc/systemd/system/anode.service"
  chmod 0644 "$R/etc/systemd/system/anode.service"
  [ "$ENABLE" = 1 ] || return 0
  if [ -n "$R" ]; then
    if have systemctl; then
      systemctl --root="$R" enable anode.service >/dev/null 2>&1 || warn "cannot enable anode.service under $ROOT"
    else
      warn "no systemctl: anode.service installed under $ROOT but not enabled"
    fi
  elif [ -d /run/systemd/system ] && have systemctl; then
    systemctl daemon-reload
    systemctl enable anode.service
    if [ "$START" = 1 ]; then systemctl restart anode.service; fi
  else
    warn "systemd is not running: anode.service installed but not enabled; run the node with: anode start --system"
  fi
}

fetch SHA256SUMS
fetch SHA256SUMS.sig
verify_signature
fetch "$NAME"
verify_checksum
say "verified $NAME (sha256 $actual, signed by a trusted release key)"
create_account
make_dirs
install_binary
install_unit
say "installed $R$LIBDIR/anode (linked from $R$BINDIR/anode), data in $R/var/lib/anode, config in $R/etc/anode/config.json"
