#!/usr/bin/env bash
# The main job on embedded defaults: create a lake from a photo folder, ingest it with the
# default model, search it by image, by path and with a filter, build its vector index and
# search through it.
# Usage: scripts/run_main_job.sh PIXLAKE_BINARY [PHOTO_DIR] [LAKE_DIR]
set -euo pipefail
bin=${1:?usage: run_main_job.sh PIXLAKE_BINARY [PHOTO_DIR] [LAKE_DIR]}
photos=${2:-${PIXLAKE_PHOTOS:-${PIXLAKE_DATA:-../shared}/photos}}
lake=${3:-${PIXLAKE_LAKE:-$(dirname "$bin")/main-job.lake}}
if [ ! -d "$photos" ]; then
  echo "run_main_job: photo folder '$photos' not found (set PIXLAKE_DATA or pass a folder)" >&2
  exit 1
fi
# Query with the shared cat photo (it has two resized copies: a near-duplicate group) when it is
# there, else with the folder's first image.
first=$photos/cat.bmp
[ -f "$first" ] || first=$(find "$photos" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.bmp' \) | sort | head -n 1)
run() { echo "\$ pixlake $*"; "$bin" "$@"; echo; }

run models
# A fresh lake each run, so the job shows a full ingest.
rm -rf "$lake"
run init "$lake"
run add "$lake" "$photos" --auto-tag
run info "$lake"
run search "$lake" --path "$first" -k 5
run search "$lake" --image "$first" -k 3 --where "format = 'jpeg' AND width >= 1000"
# The vector index (HNSW32,SQ8): later searches and adds go through it.
run index "$lake"
run search "$lake" --path "$first" -k 5
run classify --model mobilenetv2 --top 1 "$first"
# Curation: duplicate groups with evidence and a keeper, the most unique images, clusters, a map.
run dups "$lake"
run outliers "$lake" --top 3
run cluster "$lake"
run map "$lake" -o "$(dirname "$lake")/main-job-map.png"
run check "$lake"
echo "lake left in $lake (try: $bin search $lake --image YOUR_PHOTO.jpg)"
