#!/usr/bin/python3
"""Writes the OpenCV reference data under tests/image/data/ (run with Debian's python3-opencv).

    /usr/bin/python3 tests/image/make_expected.py [PIXLAKE_DATA]

Files (all raw, little-endian, no headers; the test knows the shapes):
  src_37x23.rgb, src_36x24.rgb          synthetic sources, interleaved RGB8 (noise + gradient)
  <src>_<area|linear>_<W>x<H>.rgb        cv2.resize(src, (W, H), interpolation=...) in RGB8
  photo_<name>.f32                       cv2 preprocess of a real photo, every 8th row/column of
                                         the [3,224,224] tensor -> [3,28,28] float32
  photo_<name>.txt                       per-channel mean and sum of |x| of the full tensor
  photo_resize_crc32.txt                 "<photo> <area|linear> <W> <H> <crc32>" of cv2.resize
                                         of real BMP photos (decoded identically by stb and cv2)
"""
import os
import sys
import zlib

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")

# Targets: shrinking (integer and fractional ratios, one axis unchanged, down to 1x1),
# enlarging, and mixed (one axis shrinks, the other grows).
SIZES = {
    "37x23": [(18, 11), (12, 7), (5, 3), (1, 1), (37, 11), (20, 23), (50, 30), (41, 29),
              (55, 35), (20, 40), (60, 12), (38, 24)],
    "36x24": [(18, 12), (12, 8), (9, 6), (4, 3), (54, 36), (45, 30)],
}
INTERPOLATIONS = {"area": cv2.INTER_AREA, "linear": cv2.INTER_LINEAR}
PHOTOS = ["bird.bmp", "cat_720p.jpg"]
# Caltech-101 photos are ~300x200, so the 256 resize often enlarges: cover both directions.
PHOTO_RESIZES = [("bird.bmp", 382, 256), ("bird.bmp", 597, 400), ("bird.bmp", 300, 201),
                 ("cat.bmp", 384, 256), ("sunflower.bmp", 1024, 680),
                 ("grace_hopper.bmp", 256, 300), ("dragonfly.bmp", 313, 256)]
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def synthetic(width, height, seed):
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[0:height, 0:width]
    gradient = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1),
                         (x + y) * 255 // (width + height - 2)], axis=-1)
    noise = rng.randint(-60, 61, size=(height, width, 3))
    img = np.clip(gradient + noise, 0, 255).astype(np.uint8)
    img[0, 0] = (0, 255, 0)  # saturated extremes next to each other
    img[0, 1] = (255, 0, 255)
    return img


def shorter_side_size(width, height, target):
    # int(long * target / short + 0.5), in exact integer arithmetic.
    if width <= height:
        return target, (2 * height * target + width) // (2 * width)
    return (2 * width * target + height) // (2 * height), target


def preprocess(path):
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    nw, nh = shorter_side_size(w, h, 256)
    resized = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA)
    top, left = (nh - 224) // 2, (nw - 224) // 2
    crop = resized[top:top + 224, left:left + 224].astype(np.float32)
    x = (crop * np.float32(1.0 / 255.0) - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1))  # CHW


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, seed in (("37x23", 1), ("36x24", 2)):
        w, h = map(int, name.split("x"))
        src = synthetic(w, h, seed)
        src.tofile(os.path.join(OUT, f"src_{name}.rgb"))
        for interp_name, interp in INTERPOLATIONS.items():
            for dw, dh in SIZES[name]:
                dst = cv2.resize(src, (dw, dh), interpolation=interp)
                dst.tofile(os.path.join(OUT, f"{name}_{interp_name}_{dw}x{dh}.rgb"))

    data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "PIXLAKE_DATA", os.path.join(HERE, "..", "..", "..", "shared"))
    with open(os.path.join(OUT, "photo_resize_crc32.txt"), "w") as f:
        for photo, w, h in PHOTO_RESIZES:
            rgb = cv2.cvtColor(cv2.imread(os.path.join(data, "photos", photo)), cv2.COLOR_BGR2RGB)
            for interp_name, interp in INTERPOLATIONS.items():
                dst = np.ascontiguousarray(cv2.resize(rgb, (w, h), interpolation=interp))
                f.write("%s %s %d %d %d\n" % (photo, interp_name, w, h, zlib.crc32(dst.tobytes())))
    for photo in PHOTOS:
        path = os.path.join(data, "photos", photo)
        x = preprocess(path)
        stem = os.path.splitext(photo)[0]
        x[:, ::8, ::8].astype("<f4").tofile(os.path.join(OUT, f"photo_{stem}.f32"))
        with open(os.path.join(OUT, f"photo_{stem}.txt"), "w") as f:
            f.write("# cv2 %s: imread -> RGB -> shorter side 256 INTER_AREA -> crop 224 -> "
                    "ImageNet normalise\n" % cv2.__version__)
            for c in range(3):
                f.write("mean%d %.9g\n" % (c, float(x[c].astype(np.float64).mean())))
                f.write("abssum%d %.9g\n" % (c, float(np.abs(x[c].astype(np.float64)).sum())))


if __name__ == "__main__":
    main()
