#!/usr/bin/env bash
# Caltech-101 leave-one-out retrieval with pixlake embeddings (background class excluded),
# the protocol of the foundation issue. usage: bench/caltech_retrieval.sh [MODEL] [PIXLAKE_BINARY]
set -euo pipefail
model=${1:-mobilenetv2-bf16}
bin=${2:-build/pixlake}
data=${PIXLAKE_DATA:-../shared}
root="$data/datasets/caltech101/101_ObjectCategories"
[ -d "$root" ] || { echo "caltech_retrieval: $root not found (set PIXLAKE_DATA)" >&2; exit 1; }
out=${OUT:-build/bench}
mkdir -p "$out"
find "$root" -type f -iname '*.jpg' -not -path '*/BACKGROUND_Google/*' | sort > "$out/caltech_paths.txt"
echo "embedding $(wc -l < "$out/caltech_paths.txt") images with $model ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
start=$(date +%s.%N)
"$bin" embed --model "$model" --batch 32 --list "$out/caltech_paths.txt" -o "$out/caltech_$model.npy"
end=$(date +%s.%N)
echo "embed wall time: $(echo "$end - $start" | bc) s"
/usr/bin/python3 "$(dirname "$0")/retrieval_map.py" "$out/caltech_$model.npy"
