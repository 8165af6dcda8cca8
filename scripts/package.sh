#!/usr/bin/env bash
# Builds Sextant's Debian package with the Tauri bundler and checks that it installs and starts.
#
#   bash scripts/package.sh            release build → target/release/bundle/deb/Sextant_<version>_amd64.deb
#   bash scripts/package.sh --debug    bundles the debug build scripts/test.sh made (what CI checks)
#   bash scripts/package.sh --check F  only checks an existing .deb
#   APPIMAGE=1 bash scripts/package.sh also an AppImage (the bundler downloads linuxdeploy from GitHub)
#
# The check unpacks the package into a scratch root (dpkg -x, no root needed), reads its control
# file (dpkg-deb --info) and runs the installed binary's `--version`, which answers before any
# window is opened.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

check_deb() {
  local deb=$1 root
  root=$(mktemp -d)
  trap 'rm -rf "$root"' RETURN
  echo "checking $deb"
  dpkg-deb --info "$deb" | tee "$root.info" | sed -n '/Package:/,$p'
  grep -q "^ Version: $version$" "$root.info" || { echo "the package's version is not $version"; exit 1; }
  grep -q "^ Depends:.*libwebkit2gtk-4.1" "$root.info" || { echo "the package does not depend on WebKitGTK 4.1"; exit 1; }
  rm -f "$root.info"
  dpkg -x "$deb" "$root"
  local bin="$root/usr/bin/sextant-desktop"
  [ -x "$bin" ] || { echo "no usr/bin/sextant-desktop in the package"; exit 1; }
  ls "$root"/usr/share/applications/*.desktop >/dev/null || { echo "no desktop entry in the package"; exit 1; }
  ls "$root"/usr/share/icons/hicolor/*/apps/* >/dev/null || { echo "no icons in the package"; exit 1; }
  local said
  said=$("$bin" --version)
  [ "$said" = "sextant-desktop $version" ] || { echo "the installed binary said '$said'"; exit 1; }
  echo "package ok: $said starts from a scratch install"
}

if [ "${1:-}" = "--check" ]; then
  check_deb "$2"
  exit 0
fi

profile=release
bundle_flags=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  bundle_flags+=(--debug)
else
  bash scripts/setup.sh
  (cd ui && npm run build --silent)
  cargo build --release -p sextant-desktop
fi

bundles=deb
[ "${APPIMAGE:-}" = 1 ] && bundles=deb,appimage
target=${CARGO_TARGET_DIR:-target}
rm -rf "$target/$profile/bundle/deb"
# `tauri bundle` packages the binary already built; it does not compile anything.
CI=true ui/node_modules/.bin/tauri bundle "${bundle_flags[@]}" --bundles "$bundles" --config src-tauri/tauri.conf.json

deb=$(ls "$target/$profile"/bundle/deb/*.deb)
check_deb "$deb"
echo "$deb"
