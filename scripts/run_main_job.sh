#!/usr/bin/env bash
# The main job on embedded defaults: classify the photos with both registered models, embed
# them with the default model and show each photo's nearest neighbour by cosine similarity.
# Usage: scripts/run_main_job.sh PIXLAKE_BINARY [PHOTO_DIR]
set -euo pipefail
bin=${1:?usage: run_main_job.sh PIXLAKE_BINARY [PHOTO_DIR]}
photos=${2:-${PIXLAKE_PHOTOS:-${PIXLAKE_DATA:-../shared}/photos}}
if [ ! -d "$photos" ]; then
  echo "run_main_job: photo folder '$photos' not found (set PIXLAKE_DATA or pass a folder)" >&2
  exit 1
fi
mapfile -t images < <(find "$photos" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.bmp' \) | sort)
echo "== pixlake models"
"$bin" models
for model in mobilenetv2 squeezenet; do
  echo "== pixlake classify --model $model --top 1 (${#images[@]} photos)"
  "$bin" classify --model "$model" --top 1 "${images[@]}"
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== pixlake embed --model mobilenetv2 -> $out/photos.npy"
"$bin" embed --model mobilenetv2 "${images[@]}" -o "$out/photos.npy"
echo "== nearest neighbour of each photo (cosine)"
/usr/bin/python3 - "$out/photos.npy" <<'PY'
import sys, numpy as np, os
x = np.load(sys.argv[1]); names = [os.path.basename(p) for p in open(sys.argv[1] + ".txt").read().split("\n") if p]
s = x @ x.T; np.fill_diagonal(s, -1)
for i, n in enumerate(names):
    j = int(s[i].argmax()); print(f"  {n:18s} -> {names[j]:18s} {s[i, j]:.3f}")
PY
