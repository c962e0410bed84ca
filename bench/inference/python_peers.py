#!/usr/bin/python3
"""The PyTorch and OpenCV DNN sides of bench/inference: one timed run, one JSON line.

  python_peers.py --side torch  --model NAME   --data IN.npy --batch N --threads T --warmup W --iters I
  python_peers.py --side opencv --model M.onnx --data IN.npy --batch N --threads T --warmup W --iters I
                  [--save-output OUT.npy] [--label TEXT]

torch:  torchvision NAME rebuilt with torch.manual_seed(0), weights=None (the very weights
        export_models.py wrote to the ONNX file; the driver checks the outputs agree), eval,
        torch.jit.trace + torch.jit.freeze + torch.jit.optimize_for_inference (oneDNN where
        torch has it), torch.set_num_threads(T), under torch.inference_mode().
opencv: cv2.dnn.readNetFromONNX(M.onnx), default backend and target (CPU),
        cv2.setNumThreads(T). OpenCV 4.6 runs the int8 file with its own int8 layers.
Timed: the forward call only, input already in memory. Fields match pixlake_infer's.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time


def resident_mb():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return -1.0


def peak_rss_mb():
    """VmHWM of this process image; ru_maxrss is carried across execve from the parent driver."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def torch_side(args, data):
    import torch
    import torchvision

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = getattr(torchvision.models, args.model)(weights=None).eval()
    x = torch.from_numpy(data)
    t0 = time.perf_counter()
    with torch.inference_mode():
        traced = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model, x)))
    load_ms = 1000 * (time.perf_counter() - t0)

    def forward():
        with torch.inference_mode():
            return traced(x)

    version = {"torch_version": torch.__version__, "torch_mkldnn": torch.backends.mkldnn.is_available()}
    return forward, lambda out: out.numpy(), load_ms, version


def opencv_side(args, data):
    import cv2

    cv2.setNumThreads(args.threads)
    t0 = time.perf_counter()
    net = cv2.dnn.readNetFromONNX(args.model)
    load_ms = 1000 * (time.perf_counter() - t0)

    def forward():
        net.setInput(data)
        return net.forward()

    return forward, lambda out: out, load_ms, {"opencv_version": cv2.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--side", choices=("torch", "opencv"), required=True)
    parser.add_argument("--model", required=True, help="torchvision name (torch) or ONNX file (opencv)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iters", type=int, default=10)
    parser.add_argument("--save-output")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    import numpy as np

    baseline_rss = resident_mb()
    data = np.ascontiguousarray(np.load(args.data), dtype=np.float32)
    if data.shape[0] != args.batch:
        sys.exit(f"python_peers: --data has batch {data.shape[0]}, not {args.batch}")
    side = torch_side if args.side == "torch" else opencv_side
    forward, to_numpy, load_ms, version = side(args, data)
    out = None
    for _ in range(args.warmup):
        out = forward()
    ms = []
    for _ in range(args.iters):
        t0 = time.perf_counter()
        out = forward()
        ms.append(1000 * (time.perf_counter() - t0))
    out = np.asarray(to_numpy(out), dtype=np.float32)
    if args.save_output:
        np.save(args.save_output, out)
    median = statistics.median(ms)
    record = {"side": args.side, "label": args.label, "model": args.model, "output_shape": list(out.shape),
              "batch": args.batch, "threads": args.threads, "precision": "fp32" if args.side == "torch" else "model",
              "warmup": args.warmup, "iters": args.iters, "load_ms": round(load_ms, 1),
              "ms_per_batch_median": round(median, 4), "ms_per_batch_min": round(min(ms), 4),
              "ms_per_image_median": round(median / args.batch, 4),
              "images_per_s": round(1000 * args.batch / median, 3), "baseline_rss_mb": round(baseline_rss, 1),
              "peak_rss_mb": round(peak_rss_mb(), 1), **version}
    print(json.dumps(record))


if __name__ == "__main__":
    main()
