#!/usr/bin/env bash
# Sets everything up, builds the UI and the desktop shell, and launches Sextant with its
# embedded defaults (data in the app data directory, e.g. ~/.local/share/dev.sextant.app).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run build --silent)
cargo build -p sextant-desktop
exec ./target/debug/sextant-desktop "$@"
