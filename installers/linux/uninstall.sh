#!/bin/sh
# Removes what install.sh installed: stops and disables the unit, removes it and the
# binary. Data (/var/lib/anode), config (/etc/anode) and the anode account stay unless
# --purge is given. A .deb install is removed with `apt remove anode` / `apt purge anode`.
#
#   sudo sh uninstall.sh [--purge]
#   sh uninstall.sh --root /tmp/r --purge
set -eu

usage() {
  cat <<'USAGE'
Usage: uninstall.sh [options]
  --root DIR     uninstall from DIR instead of / (env DESTDIR)
  --bindir DIR   where install.sh put the `anode` link (default /usr/local/bin)
  --libdir DIR   where install.sh put the binary (default /usr/local/lib/anode)
  --purge        also delete /var/lib/anode, /etc/anode and the anode account
  -h, --help     show this help
USAGE
}

say() { printf 'anode-uninstall: %s\n' "$*"; }
die() {
  printf 'anode-uninstall: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

ROOT="${DESTDIR:-/}"
BINDIR=/usr/local/bin
LIBDIR=/usr/local/lib/anode
PURGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2:?--root needs a directory}"; shift 2 ;;
    --bindir) BINDIR="${2:?--bindir needs a directory}"; shift 2 ;;
    --libdir) LIBDIR="${2:?--libdir needs a directory}"; shift 2 ;;
    --purge) PURGE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "Cannot uninstall: unknown option $1" ;;
  esac
done
R="${ROOT%/}"
if [ -z "$R" ] && [ "$(id -u)" != 0 ]; then die "Cannot uninstall: run as root (sudo)"; fi

UNIT="$R/etc/systemd/system/anode.service"
if [ -f "$UNIT" ]; then
  if [ -z "$R" ] && [ -d /run/systemd/system ] && have systemctl; then
    systemctl disable --now anode.service || true
  elif have systemctl; then
    systemctl --root="${R:-/}" disable anode.service >/dev/null 2>&1 || true
  fi
  rm -f "$UNIT" "$R/etc/systemd/system/multi-user.target.wants/anode.service"
  if [ -z "$R" ] && [ -d /run/systemd/system ] && have systemctl; then systemctl daemon-reload; fi
fi
rm -f "$R$BINDIR/anode" "$R$BINDIR/anode.old" "$R/etc/sysusers.d/anode.conf"
# The binary, its kept predecessor (anode.old) and any staged one (.anode.new).
rm -rf "$R$LIBDIR"
say "removed $R$LIBDIR, $R$BINDIR/anode and anode.service"

if [ "$PURGE" = 1 ]; then
  rm -rf "$R/var/lib/anode" "$R/etc/anode"
  if [ -z "$R" ] && have userdel; then
    userdel anode 2>/dev/null || true
  elif [ -z "$R" ] && have deluser; then
    deluser anode 2>/dev/null || true
  else
    # A staging root has no login database tools of its own: edit its files directly.
    for f in passwd group shadow gshadow; do
      if [ -f "$R/etc/$f" ]; then sed -i '/^anode:/d' "$R/etc/$f"; fi
    done
  fi
  say "purged /var/lib/anode, /etc/anode and the anode account"
else
  say "kept $R/var/lib/anode, $R/etc/anode and the anode account (--purge removes them)"
fi
