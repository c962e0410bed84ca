#!/usr/bin/python3
"""The Python peer of `pixlake add`: embeds images the way a typical user would write it.

Debian python3 + OpenCV 4.6 (cv2) + NumPy, nothing else. For each image: cv2.imread, BGR -> RGB,
shorter side -> 256 (INTER_AREA), centre crop 224, /255, ImageNet mean/std, CHW; batches of 32
through OpenCV DNN; the embedding is tensor '627' (the last 1x1 conv, dequantised) averaged over
its 7x7 positions and L2-normalised; rows go to OUT.npy and the image order to OUT.npy.txt.

OpenCV 4.6 DNN runs the int8 model itself (its int8 layers), so both sides of the benchmark run
the same file; its '627' is bit-identical to ONNX Runtime's (checked in bench/ingest/README.md).
--model may also be the float reconstruction written by float_reconstruction.py.

Variants, both with cv2.setNumThreads(THREADS) for the network:
  serial  decode and preprocess in the main thread, then run the batch: what most scripts do.
  pool    a THREADS-thread pool decodes the next batches while the network runs the current one
          (cv2.imread/resize release the GIL, so threads are enough; no pickling as with processes).

usage: python_peer.py --variant serial|pool --list PATHS.txt --model M.onnx -o OUT.npy
                      [--threads 2] [--batch 32]
Prints one JSON line with its own timings (model load, decode wait, forward) on stdout.
"""
import argparse
import collections
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
SHORTER = 256
CROP = 224
# OpenCV 4.6 names a layer after the ONNX node, prefixed: the DequantizeLinear node writing '627'.
EMBEDDING_LAYER = "onnx_node!627_DequantizeLinear"


def load_image(path):
    """Returns the [3, 224, 224] float32 input for one image, or None if it does not decode."""
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        return None
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    height, width = rgb.shape[:2]
    # int(longer * 256 / shorter + 0.5), in integers: pixlake's rounding too.
    if width <= height:
        size = (SHORTER, (2 * height * SHORTER + width) // (2 * width))
    else:
        size = ((2 * width * SHORTER + height) // (2 * height), SHORTER)
    rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    top = (size[1] - CROP) // 2
    left = (size[0] - CROP) // 2
    crop = rgb[top:top + CROP, left:left + CROP]
    return ((crop.astype(np.float32) / 255.0 - MEAN) / STD).transpose(2, 0, 1)


class Embedder:
    def __init__(self, model_path):
        self.net = cv2.dnn.readNetFromONNX(model_path)
        # The float reconstruction (float_reconstruction.py) has '627' as its only output.
        self.layer = EMBEDDING_LAYER if EMBEDDING_LAYER in self.net.getLayerNames() else None

    def embed(self, inputs):
        self.net.setInput(np.stack(inputs), "input")
        features = self.net.forward(self.layer) if self.layer else self.net.forward()
        if features.ndim != 4 or features.shape[1] != 1280:
            sys.exit(f"python_peer: expected '627' as [N, 1280, H, W], got {features.shape}")
        pooled = features.mean(axis=(2, 3))
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class Run:
    """Collects rows, paths and the time spent waiting for decode and in the network."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.rows, self.paths, self.failed = [], [], []
        self.seconds_decode = 0.0
        self.seconds_forward = 0.0

    def add_batch(self, paths, inputs):
        kept = [(p, x) for p, x in zip(paths, inputs) if x is not None]
        self.failed += [p for p, x in zip(paths, inputs) if x is None]
        if not kept:
            return
        start = time.perf_counter()
        self.rows.append(self.embedder.embed([x for _, x in kept]))
        self.seconds_forward += time.perf_counter() - start
        self.paths += [p for p, _ in kept]


def batches(paths, batch):
    return [paths[i:i + batch] for i in range(0, len(paths), batch)]


def run_serial(run, paths, batch, threads):
    del threads  # the network's threads are set globally
    for chunk in batches(paths, batch):
        start = time.perf_counter()
        inputs = [load_image(p) for p in chunk]
        run.seconds_decode += time.perf_counter() - start
        run.add_batch(chunk, inputs)


def run_pool(run, paths, batch, threads):
    # At most two batches decode ahead of the one in the network: bounded memory, full overlap.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending = collections.deque()

        def finish_oldest():
            chunk, futures = pending.popleft()
            start = time.perf_counter()
            inputs = [f.result() for f in futures]
            run.seconds_decode += time.perf_counter() - start
            run.add_batch(chunk, inputs)

        for chunk in batches(paths, batch):
            pending.append((chunk, [pool.submit(load_image, p) for p in chunk]))
            if len(pending) > 2:
                finish_oldest()
        while pending:
            finish_oldest()


VARIANTS = {"serial": run_serial, "pool": run_pool}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--list", required=True, help="image paths, one a line")
    parser.add_argument("--model", required=True, help="mobilenetv2-12-int8.onnx")
    parser.add_argument("-o", "--output", required=True, help="OUT.npy (+ OUT.npy.txt)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()

    cv2.setNumThreads(args.threads)
    paths = [p for p in open(args.list).read().split("\n") if p]
    start = time.perf_counter()
    run = Run(Embedder(args.model))
    seconds_load_model = time.perf_counter() - start
    VARIANTS[args.variant](run, paths, args.batch, args.threads)

    rows = np.concatenate(run.rows) if run.rows else np.zeros((0, 1280), np.float32)
    np.save(args.output, rows.astype(np.float32))
    with open(args.output + ".txt", "w") as f:
        f.write("".join(p + "\n" for p in run.paths))
    for p in run.failed:
        print(f"python_peer: could not decode {p}", file=sys.stderr)
    print(json.dumps({"variant": args.variant, "images": len(run.paths), "failed": len(run.failed),
                      "seconds_load_model": round(seconds_load_model, 3),
                      "seconds_decode_wait": round(run.seconds_decode, 3),
                      "seconds_forward": round(run.seconds_forward, 3)}))


if __name__ == "__main__":
    main()
