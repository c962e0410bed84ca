#!/usr/bin/env bash
# Load test of `pixlake serve` with wrk: search by id on a lake, on loopback.
#
#   bench/serve/run_wrk.sh BUILD/pixlake LAKE [SECONDS=30] [CONNECTIONS=64] [THREADS=4]
#
# Builds nothing and ingests nothing: give it a lake (e.g. one made from Caltech-101 with
# `pixlake init` + `pixlake add`). Starts the server read-only on a free port, runs wrk with a
# Lua script that asks for the neighbours of random image ids, prints wrk's summary (latency
# percentiles, requests/s, non-2xx count) and stops the server. The server gets one worker
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
"$pixlake" serve "$lake" --port "$port" --read-only --threads "$connections" >"$log" 2>&1 &
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
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port"
