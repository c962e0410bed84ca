#!/usr/bin/env python3
"""Near-duplicate detection quality of `pixlake dups` on Caltech-101 with synthetic copies.

Picks N Caltech photos (seeded), writes five copies of each -- re-encoded (JPEG q=40), resized
to 50 %, cropped 10 % (5 % off each side), brightness +20 % (x1.2), mirrored -- ingests the
chosen classes (all 101 by default, background excluded) plus the copies into a fresh lake,
runs `pixlake dups --json` once with every tier and once per tier, and reports, per
transformation and per tier, recall (copies grouped with their original) and the share of
reported pairs that are false (two images of different Caltech classes in one group); pairs of
different photos of one class are counted apart (Caltech holds near-duplicates of its own).

usage: dups_eval.py [--photos 200] [--classes all|N] [--out build/bench/dups] [--bin build/pixlake]
                    [--check] (exit 1 unless recall >= 0.95 and false pairs <= 1 %)
"""
import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys

import cv2
import numpy as np

TRANSFORMS = ["reencode", "resize", "crop10", "bright20", "flip"]


def make_copy(image, transform):
    h, w = image.shape[:2]
    if transform == "reencode":
        return image, [cv2.IMWRITE_JPEG_QUALITY, 40]
    if transform == "resize":
        return cv2.resize(image, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA), []
    if transform == "crop10":
        dx, dy = int(round(w * 0.05)), int(round(h * 0.05))
        return image[dy:h - dy, dx:w - dx], []
    if transform == "bright20":
        return np.clip(image.astype(np.float32) * 1.2, 0, 255).astype(np.uint8), []
    if transform == "flip":
        return cv2.flip(image, 1), []
    raise ValueError(transform)


def run(cmd, **kw):
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def caltech_class(path):
    # Faces_easy holds tighter crops of the photos in Faces (Faces_easy/image_0008.jpg is
    # Faces/image_0008.jpg cropped): one class for this purpose, or every correct match between
    # them would count as false.
    name = os.path.basename(os.path.dirname(path))
    return "Faces" if name == "Faces_easy" else name


def group_pairs(report):
    """Every pair of images that share a group (what a user would be told are duplicates)."""
    pairs = set()
    for group in report["groups"]:
        paths = sorted(im["path"] for im in group["images"])
        pairs.update(itertools.combinations(paths, 2))
    return pairs


def evaluate(report, origin, copies):
    pairs = group_pairs(report)
    # Two images of different Caltech classes are certainly not duplicates. Two different photos
    # of one class may be: Caltech holds its own near-duplicates (the same photo recoloured,
    # re-cropped, framed; animation frames), so those pairs are counted apart, not as false.
    klass = lambda p: caltech_class(origin[p])
    false = [(a, b) for a, b in pairs if klass(a) != klass(b)]
    same_class = [(a, b) for a, b in pairs if origin[a] != origin[b] and klass(a) == klass(b)]
    recall = {}
    for transform in TRANSFORMS:
        items = [(orig, path) for path, (orig, t) in copies.items() if t == transform]
        found = sum(1 for orig, path in items if tuple(sorted((orig, path))) in pairs)
        recall[transform] = found / len(items) if items else float("nan")
    n_copies = len(copies)
    found_all = sum(1 for path, (orig, _) in copies.items() if tuple(sorted((orig, path))) in pairs)
    return {
        "recall": found_all / n_copies,
        "recall_by_transform": recall,
        "reported_pairs": len(pairs),
        "false_pairs": len(false),
        "false_pair_share": len(false) / len(pairs) if pairs else 0.0,
        "groups": len(report["groups"]),
        "same_class_other_photo_pairs": len(same_class),
        "false_examples": sorted(false)[:10],
        "same_class_examples": random.Random(3).sample(sorted(same_class), min(20, len(same_class))),
    }


def draw_sheet(pairs, target, size=(160, 120)):
    rows = []
    for a, b in pairs[:12]:
        rows.append(np.hstack([cv2.resize(cv2.imread(a), size), np.full((size[1], 4, 3), 255, np.uint8),
                               cv2.resize(cv2.imread(b), size), np.full((size[1], 16, 3), 255, np.uint8)]))
    if not rows:
        return
    while len(rows) % 3:
        rows.append(np.full_like(rows[0], 255))
    sheet = np.vstack([np.hstack(rows[i:i + 3]) for i in range(0, len(rows), 3)])
    cv2.imwrite(target, sheet)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--classes", default="all")
    ap.add_argument("--out", default="build/bench/dups")
    ap.add_argument("--bin", default="build/pixlake")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dups-args", default="", help="extra flags for pixlake dups")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--reuse", action="store_true",
                    help="keep OUT's copies and lake from an earlier run with the same arguments")
    ap.add_argument("--bovw", action="store_true", help="train Bag of Visual Words and use its tier")
    ap.add_argument("--sheet", help="PNG of sample pairs of different photos of one class that "
                    "were grouped, to judge them by eye")
    args = ap.parse_args()

    data = os.path.abspath(os.environ.get("PIXLAKE_DATA", "../shared"))
    os.environ["PIXLAKE_DATA"] = data  # the binary finds its model there
    root = os.path.join(data, "datasets/caltech101/101_ObjectCategories")
    if not os.path.isdir(root):
        print(f"dups_eval: {root} not found (set PIXLAKE_DATA)", file=sys.stderr)
        return 77
    rng = random.Random(args.seed)
    classes = sorted(c for c in os.listdir(root) if c != "BACKGROUND_Google")
    if args.classes != "all":
        classes = sorted(rng.sample(classes, int(args.classes)))
    originals = sorted(os.path.join(root, c, f) for c in classes
                       for f in os.listdir(os.path.join(root, c)) if f.endswith(".jpg"))
    chosen = rng.sample(originals, min(args.photos, len(originals)))

    out = os.path.abspath(args.out)
    lake = os.path.join(out, "lake")
    reuse = args.reuse and os.path.isdir(lake)
    if not reuse:
        shutil.rmtree(out, ignore_errors=True)
    copies_dir = os.path.join(out, "copies")
    os.makedirs(copies_dir, exist_ok=True)
    copies = {}  # copy path -> (original path, transform)
    for i, path in enumerate(chosen):
        image = None if reuse else cv2.imread(path, cv2.IMREAD_COLOR)
        for transform in TRANSFORMS:
            target = os.path.join(copies_dir, f"{i:04d}_{transform}.jpg")
            if not reuse:
                copy, params = make_copy(image, transform)
                cv2.imwrite(target, copy, params or [cv2.IMWRITE_JPEG_QUALITY, 90])
            copies[target] = (path, transform)

    if not reuse:
        run([args.bin, "init", lake])
        # Each class folder, so the background class stays out.
        run([args.bin, "add", lake, *[os.path.join(root, c) for c in classes], "--jobs", "2"])
        run([args.bin, "add", lake, copies_dir, "--jobs", "2"])

    origin = {p: p for p in originals}
    origin.update({c: o for c, (o, _) in copies.items()})
    results = {"photos": len(chosen), "classes": len(classes), "images": len(originals) + len(copies),
               "dups_args": args.dups_args, "tiers": {}}
    tier_runs = ["exact,hash,embedding,near", "exact", "hash", "embedding", "near"]
    if args.bovw:
        # A lake of an earlier --reuse run has its vocabulary already: train refuses, fine.
        subprocess.run([args.bin, "bovw", "train", lake], check=False)
        tier_runs += ["exact,hash,embedding,near,bovw", "bovw"]
    for tiers in tier_runs:
        cmd = [args.bin, "dups", lake, "--json", "--tiers", tiers, *args.dups_args.split()]
        report = json.loads(run(cmd, capture_output=True, text=True).stdout)
        results["tiers"][tiers] = evaluate(report, origin, copies)
        results["tiers"][tiers]["seconds"] = report["seconds"]
    print(json.dumps(results, indent=1))
    with open(os.path.join(out, "dups_eval.json"), "w") as f:
        json.dump(results, f, indent=1)
    overall = results["tiers"][tier_runs[0]]
    if args.sheet:
        draw_sheet(overall["same_class_examples"], args.sheet)
    print(f"all tiers: recall {overall['recall']:.4f}, false pairs {overall['false_pairs']} of "
          f"{overall['reported_pairs']} ({100 * overall['false_pair_share']:.2f} %)", file=sys.stderr)
    if args.check and (overall["recall"] < 0.95 or overall["false_pair_share"] > 0.01):
        print("dups_eval: FAILED the bar (recall >= 0.95, false pairs <= 1 %)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
