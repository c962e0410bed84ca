#!/usr/bin/python3
"""Inference speed: pixlake vs ONNX Runtime (and PyTorch, OpenCV DNN) on the same ONNX files.

For each model, batch and thread count, every side runs the same file on the same input .npy in
its own process, sides interleaved (round r starts at side r, so no side always runs first or
last), --rounds times; each side's figure is its best median over the rounds. Prints a table with
ratios against ONNX Runtime and the issue's targets, and writes JSON to bench/results/.
See bench/inference/README.md for what is measured and the fairness rules.

  /usr/bin/python3 bench/inference/inference_bench.py [--quick] [--models a,b] [--batches 1,8]
                   [--threads 1,2] [--rounds 3] [--iters 10] [--warmup 3]
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "bench", "ingest"))

from inference_report import agreement, print_table, targets  # noqa: E402
from machine_info import git_commit, machine_info  # noqa: E402

FLOAT_MODELS = ("resnet50", "mobilenet_v2", "vit_b_16")
INT8_MODEL = "mobilenetv2-int8"  # $PIXLAKE_DATA/models/mobilenetv2-12-int8.onnx
INT8_FILE = "mobilenetv2-12-int8.onnx"
PYTHON = "/usr/bin/python3"
RUN_TIMEOUT_S = 900


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default=",".join(FLOAT_MODELS + (INT8_MODEL,)))
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iters", type=int, default=10, help="timed runs per side per round")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="mobilenet_v2 + the int8 model, batch 1, 1 thread, 2 rounds of 10 runs")
    parser.add_argument("--skip", default="", help="sides to leave out: torch,opencv,bf16")
    parser.add_argument("--pixlake-infer", default=os.path.join(REPO, "build", "pixlake_infer"))
    parser.add_argument("--data", default=os.environ.get("PIXLAKE_DATA", os.path.join(REPO, "..", "shared")),
                        help="shared data folder (default $PIXLAKE_DATA, else ../shared)")
    parser.add_argument("--model-dir", default=os.path.join(REPO, "build", "bench", "models"),
                        help="exported models cache (export_models.py --out)")
    parser.add_argument("--work", default=os.path.join(REPO, "build", "bench", "inference"),
                        help="scratch folder: inputs and outputs")
    parser.add_argument("--json", help="result file (default bench/results/inference_<time>.json)")
    args = parser.parse_args()
    if args.quick:
        args.models, args.batches, args.threads = f"mobilenet_v2,{INT8_MODEL}", "1", "1"
        args.rounds, args.iters, args.warmup = 2, 10, 2
    args.models = [m for m in args.models.split(",") if m]
    args.batches = [int(b) for b in args.batches.split(",") if b]
    args.threads = [int(t) for t in args.threads.split(",") if t]
    args.skip = set(s for s in args.skip.split(",") if s)
    for m in args.models:
        if m not in FLOAT_MODELS + (INT8_MODEL,):
            parser.error(f"unknown model '{m}'; known: {', '.join(FLOAT_MODELS + (INT8_MODEL,))}")
    return args


def prepare_models(args):
    """{model: {"path", "flops_per_image"}}; exports missing float models, skips what cannot be had."""
    import export_models

    models, notes = {}, []
    floats = [m for m in args.models if m in FLOAT_MODELS]
    if floats:
        try:
            export_models.export_missing(args.model_dir, floats)
        except ImportError as error:
            notes.append(f"float models skipped: {error} (apt-get install python3-torch python3-torchvision)")
            floats = []
    for m in floats:
        path = os.path.join(args.model_dir, m + ".onnx")
        with open(export_models.sidecar_path(path)) as f:
            models[m] = {"path": path, "flops_per_image": json.load(f)["flops_per_image"]}
    if INT8_MODEL in args.models:
        path = os.path.join(args.data, "models", INT8_FILE)
        if not os.path.exists(path):
            notes.append(f"{INT8_MODEL} skipped: {path} does not exist (set PIXLAKE_DATA)")
        else:
            sidecar = os.path.join(args.model_dir, "mobilenetv2-12-int8.json")
            if not os.path.exists(sidecar):
                os.makedirs(args.model_dir, exist_ok=True)
                export_models.write_onnx_sidecar(path, sidecar, INT8_MODEL)
            with open(sidecar) as f:
                models[INT8_MODEL] = {"path": path, "flops_per_image": json.load(f)["flops_per_image"]}
    return models, notes


def write_input(model, batch, work, data_dir):
    """The input every side reads. Random weights make any input fine for the float models (seeded
    normal); the trained int8 model gets real photos so that its top-1 comparison means something."""
    path = os.path.join(work, f"input_{model}_b{batch}.npy")
    source = "normal(0, 1), numpy default_rng(0)"
    x = None
    if model == INT8_MODEL:
        from python_peer import load_image  # bench/ingest: the ImageNet preprocessing

        photos_dir = os.path.join(data_dir, "photos")
        photos = sorted(os.listdir(photos_dir)) if os.path.isdir(photos_dir) else []
        images = [im for im in (load_image(os.path.join(photos_dir, p)) for p in photos) if im is not None]
        if images:
            x = np.stack([images[i % len(images)] for i in range(batch)]).astype(np.float32)
            source = f"{min(batch, len(images))} photos of {photos_dir} (ImageNet preprocessing), cycled"
    if x is None:
        x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224), dtype=np.float32)
    np.save(path, x)
    return path, source


def sides_for(model, args):
    """(name, kind, extra arguments, reference side for its ratio) for one model."""
    if model == INT8_MODEL:
        sides = [("pixlake int8", "pixlake", []),
                 ("pixlake f32 (dequantized)", "pixlake", ["--dequantize"]),
                 ("pixlake bf16 (dequantized)", "pixlake", ["--dequantize", "--precision", "bf16"]),
                 ("ort int8", "ort", []), ("opencv int8", "opencv", [])]
    else:
        sides = [("pixlake fp32", "pixlake", ["--precision", "fp32"]),
                 ("pixlake bf16", "pixlake", ["--precision", "bf16"]),
                 ("ort fp32", "ort", []), ("torch fp32", "torch", []), ("opencv fp32", "opencv", [])]
    return [s for s in sides if s[1] not in args.skip and not ("bf16" in s[0] and "bf16" in args.skip)]


def command_for(kind, extra, model, path, data, batch, threads, args, save):
    common = ["--batch", str(batch), "--threads", str(threads), "--warmup", str(args.warmup),
              "--iters", str(args.iters), "--data", data] + (["--save-output", save] if save else [])
    if kind == "pixlake":
        return [args.pixlake_infer, "--model", path, "--input", "input", *extra, *common]
    if kind == "ort":
        return ["node", os.path.join(HERE, "ort_infer.mjs"), "--model", path, *common]
    peer_model = model if kind == "torch" else path
    return [PYTHON, os.path.join(HERE, "python_peers.py"), "--side", kind, "--model", peer_model, *common]


def run_side(command, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {RUN_TIMEOUT_S} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        # The last line that names an error (OpenCV ends its message with a bare '>' line).
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        named = [line for line in lines if "error" in line.lower()]
        message = (named or lines or [f"exit status {done.returncode}"])[-1]
        return None, message[:300]
    return json.loads(lines[-1]), None


def run_case(model, info, batch, threads, args):
    data, source = write_input(model, batch, args.work, args.data)
    sides = sides_for(model, args)
    results = {name: {"kind": kind, "medians": [], "best": None, "error": None} for name, kind, _ in sides}
    outputs = {}
    for round_index in range(args.rounds):
        order = sides[round_index % len(sides):] + sides[:round_index % len(sides)]
        for name, kind, extra in order:
            result = results[name]
            if result["error"]:
                continue
            save = None
            if round_index == 0:
                slug = re.sub(r"[^a-z0-9]+", "_", name).strip("_")
                save = os.path.join(args.work, f"out_{model}_b{batch}_t{threads}_{slug}.npy")
            record, error = run_side(command_for(kind, extra, model, info["path"], data, batch, threads, args,
                                                 save), threads)
            if error:
                result["error"] = error
                print(f"  {name}: failed: {error}", file=sys.stderr)
                continue
            if save:
                outputs[name] = save
            result["medians"].append(record["ms_per_batch_median"])
            if result["best"] is None or record["ms_per_batch_median"] < result["best"]["ms_per_batch_median"]:
                result["best"] = record
            print(f"  round {round_index + 1}: {name}: {record['ms_per_batch_median']:.2f} ms/batch",
                  file=sys.stderr)
    loaded = {name: np.load(path) for name, path in outputs.items()}
    return {"model": model, "batch": batch, "threads": threads, "input": source,
            "flops_per_image": info["flops_per_image"], "sides": results,
            "agreement": agreement(model == INT8_MODEL, loaded)}


def measure_peak(threads_list):
    """Single-thread OpenBLAS sgemm GFLOP/s (the BLAS pixlake links), best of 5 at 2048^3.

    The peak for T threads is taken as T x that: measuring T threads directly on a shared
    2-core machine mostly measures the neighbour's load. The direct figure is kept too.
    """
    code = ("import numpy as np, time\n"
            "a = np.random.rand(2048, 2048).astype(np.float32); b = a.copy(); a @ b; best = 1e9\n"
            "for _ in range(5):\n t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)\n"
            "print(2 * 2048 ** 3 / best / 1e9)\n")
    measured = {}
    for t in sorted(set([1] + threads_list)):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t))
        out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=env, check=True)
        measured[t] = float(out.stdout.strip())
    return {"method": "numpy float32 matmul 2048^3 on OpenBLAS, best of 5; peak(T) = T x peak(1)",
            "single_thread_gflops": round(measured[1], 1),
            "measured_gflops": {str(t): round(v, 1) for t, v in measured.items()},
            "peak_gflops": {str(t): round(t * measured[1], 1) for t in threads_list}}


def main():
    args = parse_args()
    if not os.path.exists(args.pixlake_infer):
        sys.exit(f"inference_bench: {args.pixlake_infer} is missing: cmake -S . -B build "
                 "-DPIXLAKE_BUILD_BENCH=ON && nice ninja -C build pixlake_infer")
    os.makedirs(args.work, exist_ok=True)
    started = datetime.datetime.now()
    machine = machine_info()
    commit = git_commit(REPO)
    models, notes = prepare_models(args)
    peak = measure_peak(args.threads)
    print(f"inference_bench: {machine['cpu']}, ISA {' '.join(machine['isa'])}, {machine['logical_cpus']} "
          f"logical CPUs, commit {commit}, load {machine['load_average']}; OpenBLAS sgemm "
          f"{peak['single_thread_gflops']} GFLOP/s per thread", file=sys.stderr)
    cases = []
    for model in args.models:
        if model not in models:
            continue
        for batch in args.batches:
            for threads in args.threads:
                print(f"{model} batch {batch} threads {threads}", file=sys.stderr)
                cases.append(run_case(model, models[model], batch, threads, args))
    finished = datetime.datetime.now()
    load_end = [round(x, 2) for x in os.getloadavg()]
    checks = targets(cases)
    print_table(cases, peak, checks, notes, machine, commit, load_end)

    os.makedirs(os.path.join(REPO, "bench", "results"), exist_ok=True)
    path = args.json or os.path.join(REPO, "bench", "results", f"inference_{started:%Y%m%d-%H%M%S}.json")
    record = {"benchmark": "inference", "command": " ".join(sys.argv), "commit": commit, "machine": machine,
              "load_average_end": load_end, "started": started.isoformat(timespec="seconds"),
              "seconds": round((finished - started).total_seconds(), 1),
              "settings": {"models": args.models, "batches": args.batches, "threads": args.threads,
                           "rounds": args.rounds, "iters": args.iters, "warmup": args.warmup,
                           "skip": sorted(args.skip)},
              "peak": peak, "notes": notes, "cases": cases, "targets": checks}
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"\nwrote {os.path.relpath(path, REPO)} ({time.strftime('%H:%M:%S')})")


if __name__ == "__main__":
    main()
