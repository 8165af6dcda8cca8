#!/usr/bin/env bash
# Fuzzes Sextant's untrusted-input readers (see fuzz/README.md): every target in turn, each for
# FUZZ_SECONDS seconds, on one core at the lowest priority. Not part of scripts/test.sh.
#
#   FUZZ_SECONDS=600   seconds per target
#   FUZZ_TARGETS="…"   which targets, in order (default: all of them)
#   FUZZ_MAX_LEN=65536 largest input libFuzzer makes, in bytes
#   FUZZ_ARGS="…"      more libFuzzer flags (e.g. FUZZ_ARGS=-fork=0 to stop at the first crash)
#
# A run goes on after a crash (libFuzzer's fork mode) so each target gets its full time; the
# crashing inputs land in fuzz/artifacts/<target>/ and the script fails at the end if any
# appeared. Only stable Rust is needed: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's nightly flags.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-openapi postman postman_environment insomnia har curl}
max_len=${FUZZ_MAX_LEN:-65536}
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

if ! cargo fuzz --version >/dev/null 2>&1; then
    nice -n 19 cargo install cargo-fuzz --locked
fi

# seed TARGET PATTERN FILE...: copies into the target's corpus the files whose text matches
# PATTERN (an extended regex), so a hostile corpus file lands only where it can mean something.
seed() {
    local target=$1 pattern=$2
    shift 2
    mkdir -p "fuzz/corpus/$target"
    local file
    for file in "$@"; do
        [[ -f $file && $(stat -c %s "$file") -le 1048576 ]] || continue
        grep -qE -- "$pattern" "$file" 2>/dev/null || continue
        cp -n "$file" "fuzz/corpus/$target/$(echo "$file" | tr '/' '_')"
    done
}
shopt -s nullglob globstar
hostile=(tests/hostile/*)
seed openapi '(^|"|\s)(openapi|swagger)"?\s*:' crates/openapi/tests/fixtures/** "${hostile[@]}"
seed postman 'getpostman\.com|_postman_id|"item"' crates/interchange/tests/fixtures/postman/*collection* \
    collections/**/*.json "${hostile[@]}"
seed postman_environment '_postman_variable_scope|"values"' \
    crates/interchange/tests/fixtures/postman/*environment* "${hostile[@]}"
seed insomnia '__export_format' crates/interchange/tests/fixtures/insomnia/* "${hostile[@]}"
seed har '"log"' crates/interchange/tests/fixtures/har/* "${hostile[@]}"
seed curl '^\s*curl' "${hostile[@]}"

nice -n 19 cargo fuzz build --fuzz-dir fuzz

started=$(date +%s)
for target in $targets; do
    echo "== fuzz $target for ${seconds}s"
    seeds=() dict=()
    [[ -d fuzz/seeds/$target ]] && seeds=("fuzz/seeds/$target")
    [[ -f fuzz/dicts/$target.dict ]] && dict=("-dict=fuzz/dicts/$target.dict")
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    nice -n 19 cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
        -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -timeout=20 -rss_limit_mb=2048 \
        -max_len="$max_len" -print_final_stats=1 "${dict[@]}" ${FUZZ_ARGS:-}
done

found=$(find fuzz/artifacts -type f -newermt "@$started" 2>/dev/null || true)
if [[ -n $found ]]; then
    echo "fuzzing found inputs that crash, time out or run out of memory:" >&2
    echo "$found" >&2
    echo "reproduce one: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz <target> <file>" >&2
    exit 1
fi
echo "fuzzing found nothing in ${seconds}s per target"
