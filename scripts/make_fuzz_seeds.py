#!/usr/bin/python3
"""Writes the seed corpora for the libFuzzer targets (scripts/run_fuzzers.sh).

usage: make_fuzz_seeds.py DATA_DIR CORPUS_DIR

- onnx/: every small model.onnx (< 8 KiB) of DATA_DIR/onnx-conformance's pytorch-* suites, one
  per operator test (not light/, whose 8 KiB files generate hundreds of MB of weights at load
  and slow the fuzzer to a few runs a second).
- image/: small re-encodings of DATA_DIR/photos in every container and pixel layout the decoder
  handles (the photos themselves are 100 KiB-1 MiB, too large for fast fuzzing), or of a
  synthetic pattern when DATA_DIR has no photos.
- npy/: arrays of every dtype and rank read_npy accepts, written by NumPy.

Seeds are written under CORPUS_DIR only, never into the repository. Missing Python modules or
data reduce the seeds; they never fail the run.
"""
import hashlib
import io
import os
import sys


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def onnx_seeds(data_dir, out_dir):
    root = os.path.join(data_dir, "onnx-conformance")
    count = 0
    for folder, _, files in sorted(os.walk(root)):
        if os.path.relpath(folder, root).startswith("light"):
            continue
        for name in files:
            path = os.path.join(folder, name)
            if not name.endswith(".onnx") or os.path.getsize(path) >= 8192:
                continue
            with open(path, "rb") as f:
                data = f.read()
            write(os.path.join(out_dir, hashlib.sha1(data).hexdigest()[:16] + ".onnx"), data)
            count += 1
    return count


def image_seeds(data_dir, out_dir):
    try:
        from PIL import Image
    except ImportError:
        return 0
    sources = []
    photos = os.path.join(data_dir, "photos")
    if os.path.isdir(photos):
        for name in sorted(os.listdir(photos))[:4]:
            try:
                sources.append(Image.open(os.path.join(photos, name)).convert("RGB"))
            except OSError:
                pass
    if not sources:
        sources.append(Image.frombytes(
            "RGB", (48, 32), bytes((r * 5 + c * 3 + k * 60) % 256
                                   for r in range(32) for c in range(48) for k in range(3))))
    count = 0
    for index, source in enumerate(sources):
        small = source.copy()
        small.thumbnail((37, 37))  # odd sizes exercise partial blocks and row padding
        variants = [
            ("jpg", small, {"quality": 80}),
            ("prog.jpg", small, {"quality": 60, "progressive": True}),
            ("gray.jpg", small.convert("L"), {"quality": 70}),
            ("sub.jpg", small, {"quality": 50, "subsampling": 2}),
            ("png", small, {}),
            ("gray.png", small.convert("L"), {}),
            ("rgba.png", small.convert("RGBA"), {}),
            ("pal.png", small.convert("P"), {}),
            ("inter.png", small, {"interlace": 1}),
            ("bit1.png", small.convert("1"), {}),
            ("i16.png", small.convert("L").convert("I"), {}),  # 16-bit grey
            ("bmp", small, {}),
            ("pal.bmp", small.convert("P"), {}),
            ("gray.bmp", small.convert("L"), {}),
            ("bit1.bmp", small.convert("1"), {}),
            ("gif", small.convert("P"), {}),
        ]
        for suffix, image, options in variants:
            buffer = io.BytesIO()
            fmt = {"jpg": "JPEG", "png": "PNG", "bmp": "BMP", "gif": "GIF"}[suffix.split(".")[-1]]
            try:
                image.save(buffer, fmt, **options)
            except (OSError, ValueError):
                continue
            write(os.path.join(out_dir, "seed%d.%s" % (index, suffix)), buffer.getvalue())
            count += 1
    return count


def npy_seeds(out_dir):
    try:
        import numpy as np
    except ImportError:
        return 0
    arrays = {
        "f32": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f64": np.linspace(-1, 1, 5),
        "f16": np.ones((2, 2, 2), dtype=np.float16),
        "i8": np.array([-1, 2, 3], dtype=np.int8),
        "u8": np.zeros((0, 3), dtype=np.uint8),
        "i16": np.array([[1]], dtype=np.int16),
        "u16": np.array(7, dtype=np.uint16),
        "i32": np.arange(6, dtype=np.int32),
        "u32": np.arange(2, dtype=np.uint32),
        "i64": np.array([1 << 40, -5], dtype=np.int64),
        "u64": np.arange(3, dtype=np.uint64),
        "bool": np.array([True, False]),
        "fortran": np.asfortranarray(np.ones((2, 3), dtype=np.float32)),
    }
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array)
        write(os.path.join(out_dir, name + ".npy"), buffer.getvalue())
    # Format 2.0 (4-byte header length), which np.save only picks for huge headers.
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, arrays["f32"], version=(2, 0))
    write(os.path.join(out_dir, "v2.npy"), buffer.getvalue())
    return len(arrays) + 1


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data_dir, corpus = sys.argv[1], sys.argv[2]
    counts = (onnx_seeds(data_dir, os.path.join(corpus, "onnx")),
              image_seeds(data_dir, os.path.join(corpus, "image")),
              npy_seeds(os.path.join(corpus, "npy")))
    print("seeds: %d onnx, %d image, %d npy" % counts)


if __name__ == "__main__":
    main()
