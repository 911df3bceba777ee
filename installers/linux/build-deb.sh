#!/bin/sh
# Builds the anode .deb from a release binary with dpkg-deb (no debhelper needed):
# /usr/bin/anode, the systemd unit, the sysusers line, the maintainer scripts in debian/,
# and what Debian's policy asks of a package: a changelog, a manual page rendered from
# the CLI (render-manpage.mjs), a machine-readable copyright file (render-copyright.mjs)
# and lintian overrides for the checks that do not fit a single executable. The unit and
# sysusers files are rendered from src/service. Prints the .deb's path.
#
#   sh installers/linux/build-deb.sh --binary dist/release/anode-linux-x64 \
#     --arch x64 --version 0.1.0 --out dist/release
#
# Reproducible: every file's time, the changelog's date and the man page's date are
# SOURCE_DATE_EPOCH (default: the last commit's time), and gzip stores no name or time,
# so the same inputs give a byte-identical .deb. Needs dpkg-deb, gzip and node (with the
# repository's node_modules: esbuild bundles the CLI for its manual page).
set -eu

die() {
  printf 'build-deb: %s\n' "$*" >&2
  exit 1
}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
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
VERSION=${VERSION#v}
# Debian sorts "~" before anything, as semver sorts a pre-release before its release.
DEB_VERSION=$(printf '%s' "$VERSION" | sed 's/-/~/')
for tool in dpkg-deb gzip node; do
  command -v "$tool" >/dev/null 2>&1 || die "Cannot build: $tool is not installed"
done

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
field() { node -p "require(process.argv[1]).$1 ?? ''" "$ROOT/package.json"; }
MAINTAINER=$(field author)
HOMEPAGE=$(field homepage)
[ -n "$MAINTAINER" ] || die "Cannot build: package.json has no author (the Maintainer)"
[ -n "$HOMEPAGE" ] || die "Cannot build: package.json has no homepage (the release notes' site)"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
chmod 0755 "$STAGE"
DOC="$STAGE/usr/share/doc/anode"
install -d -m 0755 "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" \
  "$STAGE/usr/lib/sysusers.d" "$DOC" "$STAGE/usr/share/man/man1" \
  "$STAGE/usr/share/lintian/overrides"
install -m 0755 "$BINARY" "$STAGE/usr/bin/anode"
install -m 0644 "$HERE/anode.service" "$STAGE/lib/systemd/system/anode.service"
install -m 0644 "$HERE/anode.sysusers.conf" "$STAGE/usr/lib/sysusers.d/anode.conf"
install -m 0644 "$HERE/debian/lintian-overrides" "$STAGE/usr/share/lintian/overrides/anode"
for s in postinst prerm postrm; do install -m 0755 "$HERE/debian/$s" "$STAGE/DEBIAN/$s"; done

node "$HERE/render-copyright.mjs" --out "$DOC/copyright" || die "Cannot build: no copyright file"
node "$HERE/render-manpage.mjs" --version "$VERSION" --out "$STAGE/usr/share/man/man1/anode.1" ||
  die "Cannot build: no manual page"
gzip -9n "$STAGE/usr/share/man/man1/anode.1"

# A native package (the version has no Debian revision) keeps its changelog as
# changelog.gz, in Debian's changelog format; the release notes hold the details.
CHANGED=$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a, %d %b %Y %H:%M:%S +0000')
cat >"$DOC/changelog" <<CHANGELOG
anode ($DEB_VERSION) stable; urgency=medium

  * Release $VERSION. The changes are in its release notes:
    $HOMEPAGE/releases/tag/v$VERSION

 -- $MAINTAINER  $CHANGED
CHANGELOG
gzip -9n "$DOC/changelog"

# What dpkg-gencontrol counts: each file's size in KiB rounded up, one for anything else;
# du would count the build machine's blocks.
SIZE=$(cd "$STAGE" && find . -path ./DEBIAN -prune -o ! -name . -printf '%y %s\n' |
  awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: anode
Version: $DEB_VERSION
Architecture: $DEB_ARCH
Maintainer: $MAINTAINER
Installed-Size: $SIZE
Depends: adduser, libc6 (>= 2.28), libstdc++6
Section: net
Priority: optional
Homepage: $HOMEPAGE
Description: node for decentralised networks
 anode runs engines (router, storage, ordering, mempool, executor, consensus,
 upgrade) under a supervision tree, keeps its state in an embedded LevelDB and
 upgrades itself from signed releases. This package runs it as the systemd
 service anode.service, as the anode account, with data in /var/lib/anode.
CONTROL

# dpkg --verify and debsums check the installed files against these.
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
  xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/md5sums"

find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$OUT"
DEB="$OUT/anode_${DEB_VERSION}_${DEB_ARCH}.deb"
# --root-owner-group: files belong to root in the package whoever builds it.
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
printf '%s\n' "$DEB"
