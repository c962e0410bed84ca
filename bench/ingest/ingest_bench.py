#!/usr/bin/python3
"""Ingest throughput: pixlake's lake vs a plain Python pipeline on the same model, side by side.

End to end, images/s = images / wall-clock seconds of the whole command (process start, model
load, decode, preprocess, embed, store) on Caltech-101 (BACKGROUND_Google excluded), same sorted
image list, same model (mobilenetv2-12-int8.onnx), same number of threads, both pinned to the
same CPUs. Prints a table and writes JSON; see bench/ingest/README.md.

  pixlake:  pixlake init LAKE && pixlake add LAKE IMAGES --model MODEL --jobs THREADS, MODEL
            mobilenetv2-bf16 (the int8 file run in float32 with bf16 convolutions; the lake's
            default), mobilenetv2-f32 (float32 throughout) or mobilenetv2 (int8 arithmetic)
  python:   python_peer.py (OpenCV 4.6 DNN + NumPy), variants 'serial' and 'pool', on the int8
            file and on its float reconstruction (float_reconstruction.py)

The reference is the fastest Python run, whichever model it ran (OpenCV's float path is faster
than its int8 one); ratio = pixlake images/s / reference images/s, and ratio_vs_int8_peer compares
with the fastest Python run on the very same int8 file.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from agreement import cosine_agreement  # noqa: E402
from machine_info import git_commit, machine_info  # noqa: E402

TARGET_RATIO = 2.0
MODEL_FILE = "mobilenetv2-12-int8.onnx"
IMAGE_EXTENSIONS = (".jpg", ".jpeg")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pixlake", default=os.path.join(REPO, "build", "pixlake"), help="pixlake binary")
    parser.add_argument("--data", default=os.environ.get("PIXLAKE_DATA", os.path.join(REPO, "..", "shared")),
                        help="shared data folder (default $PIXLAKE_DATA, else ../shared)")
    parser.add_argument("--limit", type=int, default=0, help="first N images of the sorted list (0: all)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32, help="the Python peer's batch size")
    parser.add_argument("--variants", default="serial,pool", help="Python peer variants to run")
    parser.add_argument("--peer-models", default="int8,float",
                        help="int8 (the same file as pixlake) and/or float (float_reconstruction.py)")
    parser.add_argument("--pixlake-model", default="mobilenetv2-bf16",
                        help="registry model pixlake ingests with: mobilenetv2-bf16 (the lake's "
                             "default), mobilenetv2-f32 or mobilenetv2 (int8 arithmetic)")
    parser.add_argument("--skip-pixlake", action="store_true")
    parser.add_argument("--skip-python", action="store_true")
    parser.add_argument("--no-pin", action="store_true", help="do not pin both sides to the same CPUs")
    parser.add_argument("--work", default=os.path.join(REPO, "build", "bench", "ingest"),
                        help="scratch folder: staged images, lake, embeddings, model cache")
    parser.add_argument("--json", help="result file (default bench/results/ingest_<time>.json)")
    return parser.parse_args()


def list_images(root, limit):
    """Sorted paths relative to root, skipping BACKGROUND_Google (clutter, not a class)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "BACKGROUND_Google"]
        found += [os.path.relpath(os.path.join(folder, f), root) for f in files
                  if f.lower().endswith(IMAGE_EXTENSIONS)]
    found.sort()
    return found[:limit] if limit > 0 else found


def stage_images(root, rel_paths, staged_root):
    """Gives both sides one folder holding exactly the chosen images: hard links, else copies.

    `pixlake add` takes a folder, and --limit and the excluded class need one holding only the
    chosen files. Hard links (or copies across file systems) look like plain files to any walker.
    """
    shutil.rmtree(staged_root, ignore_errors=True)
    for rel in rel_paths:
        src, dst = os.path.join(root, rel), os.path.join(staged_root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    # Read every file once so that neither side pays for a cold page cache.
    for rel in rel_paths:
        with open(os.path.join(staged_root, rel), "rb") as f:
            while f.read(1 << 20):
                pass


def pinned(cpus):
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd, cpus, env=None):
    """Runs cmd; returns (process, wall seconds, CPU seconds of the process and its threads).

    CPU seconds barely move with other jobs on the machine while wall seconds do, so the report
    keeps both: on a busy machine, compare CPU seconds too.
    """
    cpu_start, start = children_cpu_seconds(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=pinned(cpus), env=env)
    return proc, time.perf_counter() - start, children_cpu_seconds() - cpu_start


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_pixlake(args, staged_root, n_images, cpus):
    kind = "int8" if args.pixlake_model == "mobilenetv2" else "float"
    result = {"side": "pixlake", "variant": f"add --jobs {args.threads}", "model": kind,
              "registry_model": args.pixlake_model}
    if not (os.path.isfile(args.pixlake) and os.access(args.pixlake, os.X_OK)):
        return {**result, "status": "unavailable", "message": f"no executable at {args.pixlake}"}
    env = {**os.environ, "PIXLAKE_DATA": os.path.abspath(args.data)}
    lake = os.path.join(args.work, "lake")
    shutil.rmtree(lake, ignore_errors=True)
    commands = [[args.pixlake, "init", lake],
                [args.pixlake, "add", lake, staged_root, "--model", args.pixlake_model, "--jobs", str(args.threads)]]
    seconds = cpu_seconds = 0.0
    for cmd in commands:
        proc, took, cpu_took = timed(cmd, cpus, env)
        seconds += took
        cpu_seconds += cpu_took
        if proc.returncode != 0:
            message = last_line(proc.stderr) or f"exit status {proc.returncode}"
            if "unknown command" in message:
                message = f"'pixlake {cmd[1]}' is not available yet in {args.pixlake} ({message})"
            return {**result, "status": "unavailable", "message": message}
    result.update({"status": "ok", "images": n_images, "seconds": round(seconds, 3),
                   "cpu_seconds": round(cpu_seconds, 3), "images_per_s": round(n_images / seconds, 2),
                   "summary_line": last_line(proc.stdout)})

    export = os.path.join(args.work, "pixlake_export.npy")
    proc, _, _ = timed([args.pixlake, "export", lake, "--format", "npy", "-o", export], None, env)
    result["export"] = export if proc.returncode == 0 else None
    if proc.returncode != 0:
        result["export_message"] = last_line(proc.stderr) or f"exit status {proc.returncode}"
    return result


def peer_model_path(args, name):
    int8 = os.path.join(args.data, "models", MODEL_FILE)
    if name == "int8":
        return int8
    cached = os.path.join(args.work, "cache", "mobilenetv2-float-627.onnx")
    if not os.path.exists(cached):
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "float_reconstruction.py"), int8, cached], check=True)
    return cached


def run_python(args, paths_file, n_images, cpus, peer_model, variant):
    out = os.path.join(args.work, f"python_{peer_model}_{variant}.npy")
    cmd = [sys.executable, os.path.join(HERE, "python_peer.py"), "--variant", variant, "--list", paths_file,
           "--model", peer_model_path(args, peer_model), "-o", out, "--threads", str(args.threads),
           "--batch", str(args.batch)]
    proc, seconds, cpu_seconds = timed(cmd, cpus)
    result = {"side": "python", "variant": variant, "model": peer_model}
    if proc.returncode != 0:
        return {**result, "status": "failed", "message": last_line(proc.stderr)}
    timings = json.loads(last_line(proc.stdout))
    return {**result, "status": "ok", "images": timings["images"], "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu_seconds, 3), "images_per_s": round(timings["images"] / seconds, 2), "peer_timings": timings, "export": out}


def print_table(report):
    machine = report["machine"]
    print(f"\ningest benchmark: {report['images']} images, {report['threads']} threads, "
          f"CPU {machine['cpu']} ({', '.join(machine['isa'][:2])}), commit {report['git_commit']}, "
          f"CPUs used {report['cpus_used']}, load average {machine['load_average'][0]} -> "
          f"{machine['load_average_after'][0]}")
    print(f"{'side':8} {'variant':14} {'model':6} {'images':>7} {'seconds':>9} {'images/s':>9} "
          f"{'cpu s':>9}  note")
    for run in report["runs"]:
        if run["status"] == "ok":
            note = "reference" if run is report.get("reference_run") else run.get("summary_line", "")
            print(f"{run['side']:8} {run['variant']:14} {run['model']:6} {run['images']:7d} "
                  f"{run['seconds']:9.2f} {run['images_per_s']:9.2f} {run['cpu_seconds']:9.2f}  {note}")
        else:
            print(f"{run['side']:8} {run['variant']:14} {run['model']:6} {'-':>7} {'-':>9} {'-':>9} "
                  f"{'-':>9}  {run['status']}: {run['message']}")
    if report["ratio"] is not None:
        verdict = "meets" if report["meets_target"] else "misses"
        print(f"ratio pixlake / python reference ({report['reference']}): {report['ratio']:.2f}x "
              f"({verdict} the {TARGET_RATIO:.0f}x target)")
    if report["ratio_vs_int8_peer"] is not None:
        print(f"ratio pixlake / fastest python on the same int8 file: {report['ratio_vs_int8_peer']:.2f}x")
    for name, summary in report["agreement"].items():
        print(f"agreement {name}: {json.dumps(summary)}")


def main():
    args = parse_args()
    root = os.path.join(args.data, "datasets", "caltech101", "101_ObjectCategories")
    if not os.path.isdir(root):
        sys.exit(f"ingest_bench: {root} not found (set PIXLAKE_DATA or --data)")
    rel_paths = list_images(root, args.limit)
    if not rel_paths:
        sys.exit(f"ingest_bench: no JPEG images under {root}")
    os.makedirs(args.work, exist_ok=True)
    staged_root = os.path.join(args.work, "images")
    stage_images(root, rel_paths, staged_root)
    paths_file = os.path.join(args.work, "paths.txt")
    with open(paths_file, "w") as f:
        f.write("".join(os.path.join(staged_root, rel) + "\n" for rel in rel_paths))

    available = sorted(os.sched_getaffinity(0))
    cpus = None if args.no_pin or len(available) <= args.threads else set(available[:args.threads])
    report = {"benchmark": "ingest", "dataset": "caltech101/101_ObjectCategories without BACKGROUND_Google",
              "images": len(rel_paths), "limit": args.limit, "threads": args.threads, "batch": args.batch,
              "model": MODEL_FILE, "git_commit": git_commit(REPO), "machine": machine_info(),
              "cpus_used": sorted(cpus) if cpus else available, "runs": [], "agreement": {}}
    print(f"ingest_bench: {len(rel_paths)} images staged in {staged_root}", flush=True)

    if not args.skip_pixlake:
        print("ingest_bench: pixlake init + add ...", flush=True)
        run = run_pixlake(args, staged_root, len(rel_paths), cpus)
        if run["status"] != "ok":
            print(f"ingest_bench: pixlake side skipped: {run['message']}", flush=True)
        report["runs"].append(run)
    if not args.skip_python:
        for peer_model in [m for m in args.peer_models.split(",") if m]:
            for variant in [v for v in args.variants.split(",") if v]:
                print(f"ingest_bench: python peer ({peer_model}, {variant}) ...", flush=True)
                report["runs"].append(run_python(args, paths_file, len(rel_paths), cpus, peer_model, variant))

    ok = [r for r in report["runs"] if r["status"] == "ok"]
    python_runs = [r for r in ok if r["side"] == "python"]
    pixlake_run = next((r for r in ok if r["side"] == "pixlake"), None)
    reference = max(python_runs, key=lambda r: r["images_per_s"], default=None)
    report["reference_run"] = reference
    report["reference"] = f"python {reference['variant']} ({reference['model']})" if reference else None
    int8_reference = max([r for r in python_runs if r["model"] == "int8"], key=lambda r: r["images_per_s"],
                         default=None)
    report.update({"ratio": None, "ratio_vs_int8_peer": None, "meets_target": None})
    if reference and pixlake_run:
        report["ratio"] = round(pixlake_run["images_per_s"] / reference["images_per_s"], 3)
        report["meets_target"] = report["ratio"] >= TARGET_RATIO
    if int8_reference and pixlake_run:
        report["ratio_vs_int8_peer"] = round(pixlake_run["images_per_s"] / int8_reference["images_per_s"], 3)
    report["target_ratio"] = TARGET_RATIO

    # Rows are compared with the fastest peer doing the same arithmetic (int8 or float) where
    # there is one.
    for run in ok:
        same_kind = [r for r in python_runs if r["model"] == run["model"] and r is not run]
        baseline = max(same_kind, key=lambda r: r["images_per_s"], default=None) or reference
        if run.get("export") and baseline and run is not baseline:
            name = (f"{run['side']} {run['variant']} ({run['model']}) vs "
                    f"{baseline['side']} {baseline['variant']} ({baseline['model']})")
            try:
                report["agreement"][name] = cosine_agreement(run["export"], baseline["export"], staged_root)
            except (OSError, ValueError) as e:
                report["agreement"][name] = {"error": str(e)}

    # A busy machine slows both sides unevenly: keep the load seen at the end beside the start's.
    report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print_table(report)
    report["reference_run"] = None if reference is None else report["runs"].index(reference)
    out = args.json or os.path.join(REPO, "bench", "results", time.strftime("ingest_%Y%m%d-%H%M%S.json"))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"ingest_bench: wrote {out}")


if __name__ == "__main__":
    main()
