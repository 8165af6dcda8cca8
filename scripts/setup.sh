#!/usr/bin/env bash
# Sets up everything Sextant needs on a fresh Debian 12 machine: system packages, the UI's npm
# packages, the OIDC test provider's npm packages, the Python venv of the test servers, and
# tauri-driver. Idempotent: fast when done.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "system packages"
bash scripts/setup-system.sh

step "toolchains"
command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup (https://rustup.rs)"; exit 1; }
command -v node >/dev/null || { echo "node is missing: install Node.js 20 or newer"; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "Node.js $node_major is too old: Vite needs 20.19 or newer"; exit 1; }
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt || true

step "UI packages (npm ci)"
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

step "OIDC test provider (npm ci)"
if [ ! -d tests/servers/oidc/node_modules ] || [ tests/servers/oidc/package-lock.json -nt tests/servers/oidc/node_modules/.package-lock.json ]; then
  (cd tests/servers/oidc && npm ci --no-audit --no-fund --loglevel=error)
fi

step "Python test servers (venv)"
bash scripts/setup-python.sh

step "tauri-driver"
if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked --quiet
fi
echo "setup done"
