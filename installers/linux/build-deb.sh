#!/bin/sh
# Builds the anode .deb from a release binary with dpkg-deb (no debhelper needed):
# /usr/bin/anode, the systemd unit, the sysusers line and the maintainer scripts in
# debian/. The unit and sysusers files are rendered from src/service.
#
#   sh installers/linux/build-deb.sh --binary dist/release/anode-linux-x64 \
#     --arch x64 --version 0.1.0 --out dist/release
set -eu

die() {
  printf 'build-deb: %s\n' "$*" >&2
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
case "$ARCH" in
  x64 | amd64) DEB_ARCH=amd64 ;;
  arm64 | aarch64) DEB_ARCH=arm64 ;;
  *) die "Cannot build: --arch must be x64 or arm64" ;;
esac
[ -n "$VERSION" ] || die "Cannot build: --version is required"
# Debian sorts "~" before anything, as semver sorts a pre-release before its release.
DEB_VERSION=$(printf '%s' "$VERSION" | sed 's/^v//; s/-/~/')
command -v dpkg-deb >/dev/null 2>&1 || die "Cannot build: dpkg-deb is not installed"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
chmod 0755 "$STAGE"
install -d -m 0755 "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" \
  "$STAGE/usr/lib/sysusers.d" "$STAGE/usr/share/doc/anode"
install -m 0755 "$BINARY" "$STAGE/usr/bin/anode"
install -m 0644 "$HERE/anode.service" "$STAGE/lib/systemd/system/anode.service"
install -m 0644 "$HERE/anode.sysusers.conf" "$STAGE/usr/lib/sysusers.d/anode.conf"
for s in postinst prerm postrm; do install -m 0755 "$HERE/debian/$s" "$STAGE/DEBIAN/$s"; done
printf 'anode is licensed under the Apache License 2.0: /usr/share/common-licenses/Apache-2.0\n' \
  >"$STAGE/usr/share/doc/anode/copyright"

SIZE=$(du -sk "$STAGE" | cut -f1)
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: anode
Version: $DEB_VERSION
Architecture: $DEB_ARCH
Maintainer: anode maintainers <maintainers@anode.invalid>
Installed-Size: $SIZE
Depends: adduser, libc6 (>= 2.28), libstdc++6
Section: net
Priority: optional
Description: node for decentralised networks
 anode runs engines (router, storage, ordering, mempool, executor, consensus,
 upgrade) under a supervision tree, keeps its state in an embedded LevelDB and
 upgrades itself from signed releases. This package runs it as the systemd
 service anode.service, as the anode account, with data in /var/lib/anode.
CONTROL

mkdir -p "$OUT"
DEB="$OUT/anode_${DEB_VERSION}_${DEB_ARCH}.deb"
# --root-owner-group: files belong to root in the package whoever builds it.
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
printf '%s\n' "$DEB"
