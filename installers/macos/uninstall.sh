#!/bin/sh
# Removes the .pkg install: unloads the daemon, removes the binary and plist, forgets the
# package receipt. --purge also deletes data, config, logs and the _anode account.
set -eu
[ "$(id -u)" = 0 ] || { echo "uninstall.sh: run with sudo" >&2; exit 1; }
launchctl bootout system/org.anode.node 2>/dev/null || true
rm -f /Library/LaunchDaemons/org.anode.node.plist /usr/local/bin/anode
pkgutil --forget org.anode.node >/dev/null 2>&1 || true
if [ "${1:-}" = --purge ]; then
  rm -rf "/Library/Application Support/anode" /Library/Preferences/anode /Library/Logs/anode
  dscl . -delete /Users/_anode 2>/dev/null || true
  dscl . -delete /Groups/_anode 2>/dev/null || true
fi
