#!/usr/bin/env bash
# Caltech-101 retrieval quality through a lake: ingest (unless LAKE already holds it), then
# leave-one-out mAP / P@1 / P@10 over the lake's own embeddings (background class excluded),
# and a spot check that `pixlake search` ranks exactly as that computation does.
# usage: bench/lake_retrieval.sh [LAKE] [MODEL] [PIXLAKE_BINARY]
set -euo pipefail
lake=${1:-build/bench/caltech.lake}
model=${2:-mobilenetv2-bf16}
bin=${3:-build/pixlake}
data=${PIXLAKE_DATA:-../shared}
root="$data/datasets/caltech101/101_ObjectCategories"
[ -d "$root" ] || { echo "lake_retrieval: $root not found (set PIXLAKE_DATA)" >&2; exit 1; }
out=$(dirname "$lake")
mkdir -p "$out"
if [ "$model" = bovw ]; then
  # The Bag of Visual Words is not a network: ingest with the lake's default model, then train
  # the vocabulary (first time) or embed the images that lack a bovw row.
  [ -d "$lake" ] || "$bin" init "$lake"
  echo "== pixlake add $lake $root --jobs 2"
  "$bin" add "$lake" "$root" --jobs 2
  if [ -f "$lake/bovw/vocabulary.pxv" ] && "$bin" info "$lake" | grep -q '^model       bovw:'; then
    echo "== pixlake bovw $lake --jobs 2"
    "$bin" bovw "$lake" --jobs 2
  else
    echo "== pixlake bovw train $lake --words ${BOVW_WORDS:-1000} --jobs 2"
    /usr/bin/time -f "bovw train: %e s wall, %M KiB peak" \
      "$bin" bovw train "$lake" --words "${BOVW_WORDS:-1000}" --jobs 2
  fi
else
  [ -d "$lake" ] || "$bin" init "$lake" --model "$model"
  echo "== pixlake add $lake $root --model $model --jobs 2"
  "$bin" add "$lake" "$root" --model "$model" --jobs 2
fi
where="path !~ '*/BACKGROUND_Google/*'"
"$bin" export "$lake" --model "$model" --where "$where" -o "$out/lake_$model.npy"
/usr/bin/python3 "$(dirname "$0")/retrieval_map.py" "$out/lake_$model.npy" "$out/lake_$model.npy.paths.txt"
# Spot check: the lake's search returns the same top-10 as the brute-force ranking above.
/usr/bin/python3 - "$bin" "$lake" "$model" "$out/lake_$model.npy" "$where" <<'PY'
import json, subprocess, sys
import numpy as np
bin, lake, model, npy, where = sys.argv[1:]
x = np.load(npy)
ids = [int(v) for v in open(npy + ".ids.txt").read().split()]
rng = np.random.default_rng(7)
mismatch = 0
queries = rng.choice(len(ids), size=min(25, len(ids)), replace=False)
for q in queries:
    r = subprocess.run([bin, "search", lake, "--id", str(ids[q]), "-k", "10", "--model", model,
                        "--where", where, "--json"], check=True, capture_output=True, text=True)
    got = [h["id"] for h in json.loads(r.stdout)]
    sims = x @ x[q]
    sims[q] = -np.inf
    order = sorted(range(len(ids)), key=lambda i: (-sims[i], ids[i]))[:10]
    want = [ids[i] for i in order]
    # Scores equal to float rounding may swap places: compare as sets of the top 9.
    if set(got[:9]) != set(want[:9]):
        mismatch += 1
print(f"search spot check: {len(queries) - mismatch}/{len(queries)} queries rank as brute force")
sys.exit(1 if mismatch else 0)
PY
