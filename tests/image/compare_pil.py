#!/usr/bin/python3
"""Measures how far pixlake's image pipeline is from PIL / torchvision and OpenCV preprocessing.

    /usr/bin/python3 tests/image/compare_pil.py [--build build] [--data ../shared] [--every 450]

Needs the `gen_preprocessed` helper (built with the tests: build/tests/gen_preprocessed),
Debian's python3-pil, python3-numpy and python3-opencv. Prints markdown tables for
docs/image_pipeline.md; differences are in 8-bit levels (0..255), before normalisation.

Peers, written out here because torchvision is not installed:
  PIL/torchvision  Image.open -> ImageOps.exif_transpose -> convert('RGB')
                   -> Resize(256): shorter side 256, longer int(256 * long / short), PIL
                      BILINEAR (antialiased when shrinking, reducing_gap=None), as
                      torchvision's Resize does on PIL images
                   -> CenterCrop(224): offsets int(round((size - 224) / 2.0))
  cv2              cv2.imread (applies EXIF orientation) -> BGR2RGB -> shorter side 256 with
                   INTER_AREA, longer int(long * 256 / short + 0.5) -> crop at (size - 224) // 2
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
from PIL import Image, ImageOps

SHORTER, CROP = 256, 224


def pil_decode(path):
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def torchvision_like(path, shorter=SHORTER, crop=CROP):
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        w, h = image.size
        if w <= h:
            size = (shorter, int(shorter * h / w))
        else:
            size = (int(shorter * w / h), shorter)
        image = image.resize(size, Image.BILINEAR, reducing_gap=None)
        w, h = image.size
        top, left = int(round((h - crop) / 2.0)), int(round((w - crop) / 2.0))
        return np.asarray(image.crop((left, top, left + crop, top + crop)), dtype=np.float32)


def pil_at_pixlake_geometry(path, shorter=SHORTER, crop=CROP):
    """PIL's antialiased BILINEAR, but at pixlake's size (round half up) and crop (floor), so
    that only the filter differs."""
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        w, h = image.size
        if w <= h:
            size = (shorter, (2 * h * shorter + w) // (2 * w))
        else:
            size = ((2 * w * shorter + h) // (2 * h), shorter)
        image = image.resize(size, Image.BILINEAR, reducing_gap=None)
        w, h = image.size
        top, left = (h - crop) // 2, (w - crop) // 2
        return np.asarray(image.crop((left, top, left + crop, top + crop)), dtype=np.float32)


def cv2_like(path, shorter=SHORTER, crop=CROP):
    image = cv2.cvtColor(cv2.imread(path, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    h, w = image.shape[:2]
    if w <= h:
        size = (shorter, int(h * shorter / w + 0.5))
    else:
        size = (int(w * shorter / h + 0.5), shorter)
    image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    h, w = image.shape[:2]
    top, left = (h - crop) // 2, (w - crop) // 2
    return image[top:top + crop, left:left + crop].astype(np.float32)


class Ours:
    def __init__(self, binary):
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix="pixlake_compare_")

    def _run(self, args):
        out = os.path.join(self.tmp, "out.npy")
        run = subprocess.run([self.binary, *args, "-o", out], check=True, capture_output=True,
                             text=True)
        self.shrinks = [int(line.split()[0]) for line in run.stdout.splitlines()]
        return np.load(out)

    def decoded(self, path):
        return self._run(["--decoded", path])

    def preprocessed(self, paths, interpolation="area", min_shorter_side=0, shorter=SHORTER,
                     crop=CROP):
        batch = self._run(["--interpolation", interpolation, "--resize-shorter", str(shorter),
                           "--crop", str(crop), "--min-shorter-side", str(min_shorter_side),
                           *paths])
        return batch.transpose(0, 2, 3, 1)  # [N, crop, crop, 3], like the peers


def diff(a, b):
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return d.max(), d.mean(), (d > 0).mean() * 100


def row(name, a, b):
    if a.shape != b.shape:
        return f"| {name} | shapes differ {a.shape} vs {b.shape} | | |"
    worst, mean, share = diff(a, b)
    return f"| {name} | {worst:.0f} | {mean:.3f} | {share:.1f} % |"


def summary(name, pairs):
    stats = np.array([diff(a, b) for a, b in pairs])
    return (f"| {name} ({len(pairs)} files) | {stats[:, 0].max():.0f} | "
            f"median {np.median(stats[:, 1]):.3f}, max {stats[:, 1].max():.3f} | "
            f"median {np.median(stats[:, 2]):.1f} % |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default=os.environ.get("PIXLAKE_DATA", "../shared"))
    parser.add_argument("--every", type=int, default=450, help="Caltech-101: every Nth JPEG")
    args = parser.parse_args()
    binary = os.path.join(args.build, "tests", "gen_preprocessed")
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: build the tests first")
    photos = sorted(glob.glob(os.path.join(args.data, "photos", "*.jpg")) +
                    glob.glob(os.path.join(args.data, "photos", "*.bmp")))
    caltech = sorted(glob.glob(os.path.join(args.data, "datasets", "caltech101",
                                            "101_ObjectCategories", "*", "*.jpg")))[::args.every]
    if not photos:
        sys.exit(f"no photos under {args.data}/photos")
    ours = Ours(binary)
    header = "| {} | max abs diff | mean abs diff | values that differ |\n|---|---|---|---|"

    print("## Decode: pixlake vs PIL (Image.open + exif_transpose + convert('RGB'))\n")
    print(header.format("file"))
    for path in photos:
        print(row(os.path.basename(path), ours.decoded(path), pil_decode(path)))
    if caltech:
        print(summary("Caltech-101", [(ours.decoded(p), pil_decode(p)) for p in caltech]))

    for peer_name, peer, interpolation in [
            ("PIL/torchvision (BILINEAR, antialiased)", torchvision_like, "area"),
            ("PIL/torchvision (BILINEAR, antialiased)", torchvision_like, "bilinear"),
            ("PIL BILINEAR at pixlake's size and crop", pil_at_pixlake_geometry, "area"),
            ("cv2 (imread, INTER_AREA)", cv2_like, "area")]:
        print(f"\n## Preprocess {SHORTER}/{CROP}: pixlake ({interpolation}) vs {peer_name}\n")
        print(header.format("file"))
        mine = ours.preprocessed(photos, interpolation)
        for path, a in zip(photos, mine):
            print(row(os.path.basename(path), a, peer(path)))
        if caltech:
            mine = ours.preprocessed(caltech, interpolation)
            print(summary("Caltech-101", [(a, peer(p)) for a, p in zip(mine, caltech)]))

    print("\n## Shrink-on-load: pixlake with DecodeHints{min_shorter_side = target} vs without\n")
    print("| file | target / crop | shrink | max abs diff | mean abs diff | values that differ |")
    print("|---|---|---|---|---|---|")
    jpegs = [p for p in photos if p.endswith(".jpg")]
    for shorter, crop in [(256, 224), (128, 112), (64, 56)]:
        full = ours.preprocessed(jpegs, "area", 0, shorter, crop)
        shrunk = ours.preprocessed(jpegs, "area", shorter, shorter, crop)
        for path, a, b, shrink in zip(jpegs, full, shrunk, ours.shrinks):
            worst, mean, share = diff(a, b)
            print(f"| {os.path.basename(path)} | {shorter} / {crop} | {shrink} | {worst:.0f} | "
                  f"{mean:.3f} | {share:.1f} % |")


if __name__ == "__main__":
    main()
