#!/usr/bin/python3
"""Recall@k vs QPS curves from an index_bench JSON file, one panel per search thread count.

usage: bench/index/plot.py RESULT.json [-o RESULT.png] [--min-recall 0.8]
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_path")
    parser.add_argument("-o", "--output", help="PNG path (default: the JSON path with .png)")
    parser.add_argument("--min-recall", type=float, default=None,
                        help="left edge of the recall axis (default: from the data)")
    args = parser.parse_args()

    with open(args.json_path) as f:
        result = json.load(f)
    threads = result["threads"]
    k = result.get("k", 10)
    fig, axes = plt.subplots(1, len(threads), figsize=(6.5 * len(threads), 5), squeeze=False)
    recalls = [p["recall"] for s in result["sides"] for p in s.get("curve", [])]
    # Curves are flat at low recall and interesting near 1: start a little below the lowest
    # target unless asked otherwise.
    left = args.min_recall
    if left is None:
        left = max(0.0, min(min(recalls, default=0.9), 0.9) - 0.01)
    for axis, n_threads in zip(axes[0], threads):
        key = "qps_%dt" % n_threads
        for side in result["sides"]:
            curve = sorted(side.get("curve", []), key=lambda p: p["recall"])
            points = [(p["recall"], p[key]) for p in curve if p.get(key)]
            if not points:
                continue
            style = "-o" if side["name"].startswith("pixlake") else "--s"
            axis.plot([r for r, _ in points], [q for _, q in points], style, markersize=3.5,
                      label=side["name"])
        for target in (0.95, 0.99):
            axis.axvline(target, color="grey", linewidth=0.7, linestyle=":")
        axis.set_yscale("log")
        axis.set_xlim(left, 1.0005)
        axis.set_xlabel("recall@%d" % k)
        axis.set_ylabel("queries per second (one query per call)")
        axis.set_title("%d search thread%s" % (n_threads, "" if n_threads == 1 else "s"))
        axis.grid(True, which="both", linewidth=0.3)
        axis.legend(fontsize=8)
    machine = result.get("machine", {})
    fig.suptitle("%s: %d base x %d queries, dim %d, %s; %s, commit %s" % (
        result["dataset"], result["n_base"], result["n_queries"], result["dim"],
        result["metric"], machine.get("cpu", "?"), result.get("git_commit", "?")), fontsize=10)
    fig.tight_layout()
    output = args.output or os.path.splitext(args.json_path)[0] + ".png"
    fig.savefig(output, dpi=120)
    print(output)


if __name__ == "__main__":
    main()
