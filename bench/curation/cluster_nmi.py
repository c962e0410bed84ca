#!/usr/bin/python3
"""Caltech-101 clustering quality of `pixlake cluster`: NMI against the folder classes.

Ingests Caltech-101 (every class except BACKGROUND_Google) into LAKE unless it already holds
it, runs `pixlake cluster LAKE -k 101` on the CNN embeddings, reads the cluster:<n> tags back
from the catalog and prints the normalised mutual information (arithmetic normalisation, as
scikit-learn's default) between clusters and classes, as text and JSON.

usage: bench/curation/cluster_nmi.py [LAKE] [MODEL] [PIXLAKE_BINARY] [K]
  defaults: build/bench/caltech.lake  mobilenetv2-bf16 (only used to create the lake; an
  existing lake is clustered with its default model)  build/pixlake  101
"""
import json
import os
import sqlite3
import subprocess
import sys
import time

import numpy as np


def nmi(a, b):
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    n = len(a)
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1)
    pa, pb, pab = joint.sum(1) / n, joint.sum(0) / n, joint / n
    nz = pab > 0
    mi = float((pab[nz] * np.log(pab[nz] / np.outer(pa, pb)[nz])).sum())
    h = lambda p: float(-(p[p > 0] * np.log(p[p > 0])).sum())
    mean_h = (h(pa) + h(pb)) / 2
    return mi / mean_h if mean_h > 0 else 1.0


def main():
    lake = sys.argv[1] if len(sys.argv) > 1 else "build/bench/caltech.lake"
    model = sys.argv[2] if len(sys.argv) > 2 else "mobilenetv2-bf16"
    binary = sys.argv[3] if len(sys.argv) > 3 else "build/pixlake"
    k = sys.argv[4] if len(sys.argv) > 4 else "101"
    data = os.environ.get("PIXLAKE_DATA", "../shared")
    root = os.path.join(data, "datasets/caltech101/101_ObjectCategories")
    if not os.path.isdir(root):
        sys.exit(f"cluster_nmi: {root} not found (set PIXLAKE_DATA)")
    classes = sorted(c for c in os.listdir(root) if c != "BACKGROUND_Google")
    if not os.path.isdir(lake):
        os.makedirs(os.path.dirname(lake) or ".", exist_ok=True)
        subprocess.run([binary, "init", lake, "--model", model], check=True)
    # Incremental: a lake that already holds the images only re-checks them.
    subprocess.run([binary, "add", lake, "--jobs", "2"] + [os.path.join(root, c) for c in classes],
                   check=True)
    where = "path !~ '*/BACKGROUND_Google/*'"
    start = time.time()
    run = subprocess.run([binary, "cluster", lake, "-k", k, "--where", where, "--json"],
                         check=True, capture_output=True, text=True)
    seconds = time.time() - start
    report = json.loads(run.stdout)
    db = sqlite3.connect(f"file:{os.path.join(lake, 'catalog.sqlite')}?mode=ro", uri=True)
    rows = db.execute("SELECT i.path, t.tag FROM images i JOIN tags t ON t.image_id = i.id "
                      "WHERE t.tag LIKE 'cluster:%'").fetchall()
    rows = [(p, t) for p, t in rows if "/BACKGROUND_Google/" not in p]
    labels = [os.path.basename(os.path.dirname(p)) for p, _ in rows]
    clusters = [t for _, t in rows]
    score = nmi(np.array(labels), np.array(clusters))
    result = {"images": len(rows), "classes": len(set(labels)), "k": report["k"],
              "model": report["model"], "nmi": score, "silhouette": report["silhouette"],
              "cluster_seconds": round(seconds, 2)}
    print(f"images {result['images']}  classes {result['classes']}  k {result['k']}  "
          f"model {result['model']}  NMI {score:.4f}  silhouette {report['silhouette']:.4f}  "
          f"cluster time {seconds:.1f}s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
