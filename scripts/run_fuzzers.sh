#!/usr/bin/env bash
# Runs each libFuzzer target for N seconds, seeded with real files from $PIXLAKE_DATA and the
# test data. Crashes are saved under BUILD/fuzz-artifacts/. usage: run_fuzzers.sh BUILD SECONDS
set -euo pipefail
build=${1:?usage: run_fuzzers.sh BUILD SECONDS}
seconds=${2:-60}
data=${PIXLAKE_DATA:-../shared}
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
mkdir -p "$corpus"/{onnx,image,npy,filter} "$artifacts"
# Seeds: small conformance models, the test images, a .npy written by numpy.
find "$data/onnx-conformance/pytorch-operator" -name model.onnx 2>/dev/null | head -20 | while read -r f; do cp "$f" "$corpus/onnx/$(echo "$f" | md5sum | cut -c1-12).onnx"; done
find tests/image/data "$data/photos" -type f \( -name '*.png' -o -name '*.bmp' -o -name '*.jpg' -o -name '*.gif' \) -size -200k 2>/dev/null | head -20 | while read -r f; do cp "$f" "$corpus/image/"; done
# Small WebP, TIFF, GIF, HEIC and AVIF seeds, written by libvips from one photo
# (vipsthumbnail resolves a relative -o against the input's folder, hence the absolute path).
image_seeds=$(cd "$corpus/image" && pwd)
for ext in webp tif gif heic avif; do
  vipsthumbnail "$data/photos/owl.jpg" --size 48 -o "$image_seeds/seed.$ext[strip]" 2>/dev/null || true
done
/usr/bin/python3 -c "import numpy as np; np.save('$corpus/npy/a.npy', np.arange(12, dtype=np.float32).reshape(3,4))" || true
# --where expressions covering every kind of token.
printf '%s' "width >= 1000 AND (tag = 'cat' OR label ~ 'tab*') AND NOT taken IS NULL" > "$corpus/filter/a.txt"
printf '%s' "size < 1.5MB OR meta.rating IN ('4', \"5\") AND taken > '2023-05-01 10:00:00'" > "$corpus/filter/b.txt"
printf '%s' "name NOT GLOB '[!a-c]*.jp?' AND lat != -33.5 AND camera IS NOT NULL" > "$corpus/filter/c.txt"
status=0
for target in onnx_import:onnx image_decode:image npy:npy filter:filter; do
  name=${target%%:*}; dir=${target##*:}
  echo "== fuzz_$name for ${seconds}s"
  if ! "$build/fuzz/fuzz_$name" "$corpus/$dir" -max_total_time="$seconds" -rss_limit_mb=4096 \
      -artifact_prefix="$artifacts/${name}-" -print_final_stats=1 2>&1 | tail -n 12; then
    status=1
  fi
done
exit $status
