#!/bin/sh
# Builds anode-macos-<arch>.pkg with pkgbuild (macOS only) from a signed release binary:
# /usr/local/bin/anode, the LaunchDaemon plist and the preinstall/postinstall scripts
# beside this file. The release command copies this folder into <release>/macos-pkg/ and
# the release workflow's macOS job runs it there after ad-hoc signing the binaries:
#
#   sh macos-pkg/build-pkg.sh --binary anode-macos-arm64 --arch arm64 --version 0.2.0 --out .
set -eu

die() {
  printf 'build-pkg: %s\n' "$*" >&2
  exit 1
}
HERE=$(cd "$(dirname "$0")" && pwd)
BINARY="" ARCH="" VERSION="" OUT=.
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY="${2:?}"; shift 2 ;;
    --arch) ARCH="${2:?}"; shift 2 ;;
    --version) VERSION="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    *) die "Cannot build: unknown option $1 (use --binary, --arch, --version, --out)" ;;
  esac
done
[ -f "$BINARY" ] || die "Cannot build: no binary at '$BINARY' (--binary)"
case "$ARCH" in x64 | arm64) ;; *) die "Cannot build: --arch must be x64 or arm64" ;; esac
[ -n "$VERSION" ] || die "Cannot build: --version is required"
command -v pkgbuild >/dev/null 2>&1 || die "Cannot build: pkgbuild is not installed (macOS only)"

ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
install -d "$ROOT/usr/local/bin" "$ROOT/Library/LaunchDaemons"
install -m 0755 "$BINARY" "$ROOT/usr/local/bin/anode"
install -m 0644 "$HERE/org.anode.node.plist" "$ROOT/Library/LaunchDaemons/"
PKG="$OUT/anode-macos-$ARCH.pkg"
pkgbuild --root "$ROOT" --identifier org.anode.node --version "${VERSION#v}" \
  --scripts "$HERE/scripts" --install-location / "$PKG" >/dev/null
printf '%s\n' "$PKG"
