#!/usr/bin/env bash
# Sets everything up and runs every check and test: formatting, lints, the Tauri-free rule,
# generated bindings drift, Rust unit and integration tests against real servers, the UI's unit
# tests and type checks, and the end-to-end tests of the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

bash scripts/setup.sh

step "rustfmt"
cargo fmt --all -- --check

step "crates/ stay Tauri-free"
for manifest in crates/*/Cargo.toml; do
  pkg=$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)
  if cargo tree -p "$pkg" -e normal --prefix none 2>/dev/null | grep -qE '^tauri(-[a-z-]+)? v'; then
    echo "$pkg depends on tauri: crates/ must stay Tauri-free"; exit 1
  fi
done
echo "ok"

step "UI build (needed by the shell) and UI unit tests"
(cd ui && npm run build --silent && npm test --silent)

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

# One package at a time: testing the workspace at once unifies features and rebuilds tauri.
for pkg in sextant-model sextant-testkit sextant-engine sextant-openapi sextant-store sextant-template \
  sextant-interchange sextant-auth sextant-export sextant-app sextant-cli; do
  step "tests: $pkg"
  cargo test -p "$pkg"
  if [ "$pkg" = sextant-store ]; then
    # The secret store's key in a real Secret Service: a private session bus and gnome-keyring,
    # with a throwaway keyring folder so no real login keyring is touched.
    step "tests: sextant-store keychain (gnome-keyring on a private D-Bus session)"
    timeout 900 dbus-run-session -- bash -c 'export XDG_DATA_HOME=$(mktemp -d); trap "rm -rf \"\$XDG_DATA_HOME\"" EXIT; echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; SEXTANT_TEST_KEYCHAIN=1 SEXTANT_SECRETS_BACKEND=keychain cargo test -p sextant-store --test store workspace_keychain::'
  fi
done

# ts-rs rewrote ui/src/lib/bindings while sextant-model, sextant-openapi and sextant-app were tested.
step "TypeScript bindings drift"
if ! git diff --quiet --exit-code -- ui/src/lib/bindings || [ -n "$(git ls-files --others --exclude-standard ui/src/lib/bindings)" ]; then
  echo "ui/src/lib/bindings drifted from the Rust types: run 'cargo test -p sextant-model -p sextant-openapi -p sextant-app' and commit"
  git status --short ui/src/lib/bindings
  exit 1
fi
git diff --exit-code -- ui/src/lib/commands.ts src-tauri/capabilities/ || { echo "the commands drifted from their #[tauri::command] declarations: build sextant-desktop and commit ui/src/lib/commands.ts and src-tauri/capabilities/"; exit 1; }
echo ok

step "end-to-end: the real window (tauri-driver + WebKitWebDriver under Xvfb)"
cargo build -p sextant-desktop
cargo test -p sextant-e2e -- --test-threads=1

step "the Debian package: bundled from the debug build, unpacked into a scratch root, started"
bash scripts/package.sh --debug

step "all tests passed"
