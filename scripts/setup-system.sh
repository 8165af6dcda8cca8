#!/usr/bin/env bash
# Installs the Debian packages Sextant needs to build, run and test (idempotent).
set -euo pipefail
pkgs=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
      pkg-config build-essential xvfb xauth webkit2gtk-driver curl time x11-utils imagemagick
      libdbus-1-dev dbus-daemon gnome-keyring xclip jq)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
