#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default $FUZZ_SECONDS, else 60), seeded with small
# re-encodings of $PIXLAKE_DATA's photos and conformance models (scripts/make_fuzz_seeds.py;
# synthetic seeds when the data is absent) and a dictionary per format (fuzz/*.dict).
#
#   usage: run_fuzzers.sh BUILD [SECONDS] [TARGET...]
#   TARGET: onnx_import image_decode npy filter map_coords bovw_vocabulary
#
# The corpus grows under BUILD/fuzz-corpus/ from run to run; crashes, leaks, timeouts and OOMs
# are saved under BUILD/fuzz-artifacts/, full logs under BUILD/fuzz-logs/. Reproduce a finding
# with `BUILD/fuzz/fuzz_NAME ARTIFACT`. Ends with one summary line per target and exits
# non-zero when any target found something.
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD [SECONDS] [TARGET...]}
seconds=${2:-${FUZZ_SECONDS:-60}}
shift $(($# < 2 ? $# : 2))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(onnx_import image_decode npy filter map_coords bovw_vocabulary)
repo=$(cd "$(dirname "$0")/.." && pwd)
data=${PIXLAKE_DATA:-$repo/../shared}
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
logs=$build/fuzz-logs
mkdir -p "$corpus"/{onnx_import,image_decode,npy,filter,map_coords,bovw_vocabulary} "$artifacts" "$logs"

# Seeds (and synthetic ones when $data is missing); a failure here only means fewer seeds.
if [ ! -d "$data" ]; then echo "note: PIXLAKE_DATA '$data' not found; synthetic seeds only"; fi
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
/usr/bin/python3 "$repo/scripts/make_fuzz_seeds.py" "$data" "$seeds" || echo "note: seed generation failed"
for pair in onnx:onnx_import image:image_decode npy:npy; do
  [ -d "$seeds/${pair%%:*}" ] && cp -r "$seeds/${pair%%:*}/." "$corpus/${pair##*:}/"
done
# Small WebP, TIFF, GIF, HEIC and AVIF seeds written by libvips (vipsthumbnail resolves a
# relative -o against the input's folder, hence the absolute path).
image_seeds=$(cd "$corpus/image_decode" && pwd)
for ext in webp tif gif heic avif; do
  vipsthumbnail "$data/photos/owl.jpg" --size 48 -o "$image_seeds/seed.$ext[strip]" 2>/dev/null || true
done
# --where expressions covering every kind of token.
printf '%s' "width >= 1000 AND (tag = 'cat' OR label ~ 'tab*') AND NOT taken IS NULL" >"$corpus/filter/a.txt"
printf '%s' "size < 1.5MB OR meta.rating IN ('4', \"5\") AND taken > '2023-05-01 10:00:00'" >"$corpus/filter/b.txt"
printf '%s' "name NOT GLOB '[!a-c]*.jp?' AND lat != -33.5 AND camera IS NOT NULL" >"$corpus/filter/c.txt"
# A map coordinates file and the committed golden vocabulary.
printf '%s\n' '{"format":"pixlake-map","version":1,"model":"m","method":"umap","count":2,"groups":["a","b"],"points":[' \
  '{"id":1,"x":0.412345,"y":0.118000,"group":0},' '{"id":2,"x":0.9,"y":0.731,"group":-1}' ']}' \
  >"$corpus/map_coords/a.json"
cp "$repo/tests/curate/data/bovw_vocabulary_v1.pxv" "$corpus/bovw_vocabulary/" 2>/dev/null || true
# The ONNX dictionary also lists every operator pixlake implements.
{
  cat "$repo/fuzz/onnx.dict"
  sed -n 's/^PIXLAKE_OP(\([A-Za-z0-9]*\)).*/op_\1="\1"/p' "$repo/src/ops/ops.def"
} >"$build/fuzz-onnx.dict"

dict_for() {
  case $1 in
    onnx_import) echo "$build/fuzz-onnx.dict" ;;
    image_decode) echo "$repo/fuzz/image.dict" ;;
    npy) echo "$repo/fuzz/npy.dict" ;;
    filter) echo "$repo/fuzz/filter.dict" ;;
    map_coords) echo "$repo/fuzz/map_coords.dict" ;;
    bovw_vocabulary) echo "$repo/fuzz/bovw_vocabulary.dict" ;;
  esac
}

summary=()
status=0
for name in "${targets[@]}"; do
  binary=$build/fuzz/fuzz_$name
  if [ ! -x "$binary" ]; then
    echo "error: $binary not built" >&2
    exit 2
  fi
  before=$(find "$artifacts" -name "$name-*" | wc -l)
  echo "== fuzz_$name for ${seconds}s (log: $logs/$name.log)"
  start=$SECONDS
  # -timeout: one input may take 10 s (a sanitized debug-ish build on a busy machine);
  # -rss_limit_mb / -malloc_limit_mb: a single allocation or the process over 2 GiB is an OOM.
  "$binary" "$corpus/$name" -dict="$(dict_for "$name")" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$artifacts/$name-" -print_final_stats=1 >"$logs/$name.log" 2>&1
  rc=$?
  elapsed=$((SECONDS - start))
  tail -n 4 "$logs/$name.log" | sed 's/^/   /'
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$name.log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$name.log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$logs/$name.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$logs/$name.log" | tail -1)
  corp=$(find "$corpus/$name" -type f | wc -l)
  found=$(($(find "$artifacts" -name "$name-*" | wc -l) - before))
  kinds=$(grep -oE '^(==[0-9]+==ERROR: [A-Za-z]+: [a-z-]+|SUMMARY: [A-Za-z]+: [a-z-]+|.*ERROR: libFuzzer: [a-z-]+)' "$logs/$name.log" | head -1)
  if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then status=1; fi
  summary+=("$(printf '%-13s %5ss  execs %-9s (%s/s)  %-22s corpus %-5s peak_rss %sMB  findings %s%s' \
    "$name" "$elapsed" "${execs:-?}" "${speed:-?}" "${cov:-cov: ?}" "$corp" "${rss:-?}" "$found" \
    "${kinds:+ ($kinds)}")")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
