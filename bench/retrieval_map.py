#!/usr/bin/python3
"""Leave-one-out retrieval quality of image embeddings.

Each image queries all the others by cosine similarity; images of the same class (the name of
the folder holding the image) are relevant. Prints mAP, P@1 and P@10, as text and JSON.

usage: bench/retrieval_map.py EMBEDDINGS.npy [PATHS.txt]   (PATHS defaults to EMBEDDINGS.npy.txt)
"""
import json
import os
import sys

import numpy as np


def retrieval_metrics(x, labels):
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    n = len(labels)
    labels = np.asarray(labels)
    aps, p1, p10 = [], [], []
    for start in range(0, n, 512):
        sims = x[start:start + 512] @ x.T
        for row, sim in enumerate(sims):
            q = start + row
            sim[q] = -np.inf  # leave the query out
            order = np.argsort(-sim, kind="stable")[: n - 1]
            rel = labels[order] == labels[q]
            n_rel = rel.sum()
            if n_rel == 0:
                continue
            hits = np.cumsum(rel)
            ranks = np.nonzero(rel)[0] + 1
            aps.append(float(np.mean(hits[rel] / ranks)))
            p1.append(float(rel[0]))
            p10.append(float(rel[:10].mean()))
    return {"queries": len(aps), "mAP": float(np.mean(aps)), "P@1": float(np.mean(p1)), "P@10": float(np.mean(p10))}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    emb_path = sys.argv[1]
    paths_path = sys.argv[2] if len(sys.argv) > 2 else emb_path + ".txt"
    x = np.load(emb_path).astype(np.float64)
    paths = [p for p in open(paths_path).read().split("\n") if p]
    if len(paths) != len(x):
        sys.exit(f"{len(x)} embeddings but {len(paths)} paths")
    labels = [os.path.basename(os.path.dirname(p)) for p in paths]
    m = retrieval_metrics(x, labels)
    print(f"queries {m['queries']}  classes {len(set(labels))}  mAP {m['mAP']:.4f}  P@1 {m['P@1']:.4f}  P@10 {m['P@10']:.4f}")
    print(json.dumps(m))


if __name__ == "__main__":
    main()
