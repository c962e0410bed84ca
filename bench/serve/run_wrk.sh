#!/usr/bin/env bash
# Load test of `pixlake serve` with wrk: search by id on a lake, on loopback.
#
#   bench/serve/run_wrk.sh BUILD/pixlake LAKE [SECONDS=30] [CONNECTIONS=64] [THREADS=4]
#
# Builds nothing: give it a lake (e.g. one made from Caltech-101 with `pixlake init` + `pixlake
# add`). Starts the server on a free port, runs wrk with a Lua script that asks for the
# neighbours of random image ids among those present at the start, prints wrk's summary (latency
# percentiles, requests/s, non-2xx count) and stops the server.
#
# INGEST_DIR=/folder: the server is writable with --ingest-root INGEST_DIR, and 5 s into the
# load POST /api/ingest adds that folder; at the end the job must be done, the lake must have
# gained exactly the job's `added` images and `pixlake check` must pass (nothing lost).
# Without INGEST_DIR the server is --read-only. The server gets one worker
# thread per connection (a keep-alive connection holds its worker).
set -euo pipefail
pixlake=${1:?usage: run_wrk.sh PIXLAKE LAKE [SECONDS] [CONNECTIONS] [THREADS]}
lake=${2:?usage: run_wrk.sh PIXLAKE LAKE [SECONDS] [CONNECTIONS] [THREADS]}
seconds=${3:-30}
connections=${4:-64}
threads=${5:-4}
command -v wrk >/dev/null || { echo "run_wrk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

images=$("$pixlake" info "$lake" | awk '$1 == "images" {print $2}')
[ "${images:-0}" -gt 0 ] || { echo "run_wrk.sh: '$lake' has no images" >&2; exit 1; }
port=$((20000 + RANDOM % 20000))
log=$(mktemp)
if [ -n "${INGEST_DIR:-}" ]; then
  mode=(--ingest-root "$(realpath "$INGEST_DIR")")
else
  mode=(--read-only)
fi
"$pixlake" serve "$lake" --port "$port" "${mode[@]}" --threads "$connections" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log" "$script"' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done

script=$(mktemp --suffix=.lua)
cat >"$script" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/search?k=10&id=" .. math.random(1, $images))
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f qps=%.1f errors=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA
echo "lake $lake: $images images; wrk -t$threads -c$connections -d${seconds}s on search-by-id (k=10)"
if [ -n "${INGEST_DIR:-}" ]; then
  (sleep 5; curl -s -X POST -d "{\"path\":\"$(realpath "$INGEST_DIR")\"}" \
     "http://127.0.0.1:$port/api/ingest" >/dev/null) &
fi
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port"
if [ -n "${INGEST_DIR:-}" ]; then
  job=""
  for _ in $(seq 600); do
    job=$(curl -s "http://127.0.0.1:$port/api/jobs/1")
    case "$job" in *'"state":"done"'* | *'"state":"failed"'*) break ;; esac
    sleep 0.5
  done
  after=$(curl -s "http://127.0.0.1:$port/api/health" | sed -E 's/.*"images":([0-9]+).*/\1/')
  added=$(echo "$job" | sed -E 's/.*"added":([0-9]+).*/\1/')
  echo "ingest job: $job"
  kill "$server"; wait "$server" 2>/dev/null || true
  check=$("$pixlake" check "$lake" 2>&1 || true)
  echo "images before $images, after $after, added by the job $added; pixlake check: $check"
  [ "$after" -eq $((images + added)) ] && [ "$check" = ok ] || { echo "run_wrk.sh: ingest lost work" >&2; exit 1; }
fi
