"""Output agreement, the issue's targets and the printed table of bench/inference."""
import numpy as np

# The "done when", as numbers.
FP32_RATIO = 1.0  # pixlake fp32 images/s / ORT fp32, every float model, batch and thread count
BF16_RATIO = 1.6  # pixlake bf16 images/s / ORT fp32 on these models
BF16_MODELS = ("resnet50", "vit_b_16")
BF16_COSINE = 0.999  # bf16 output vs pixlake fp32 output, worst row
INT8_RATIO = 1.0  # pixlake int8 / ORT int8 on the shared int8 file, top-1 unchanged


def _rows(x):
    return x.reshape(x.shape[0], -1).astype(np.float64)


def _compare(a, b):
    a, b = _rows(a), _rows(b)
    if a.shape != b.shape:
        return {"error": f"shapes differ: {list(a.shape)} vs {list(b.shape)}"}
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    cosine = np.sum(a * b, axis=1) / np.maximum(norms, 1e-30)
    top1 = a.argmax(axis=1) == b.argmax(axis=1)
    return {"max_abs": float(np.abs(a - b).max()), "cosine_min": float(cosine.min()),
            "top1_agree": int(top1.sum()), "top1_total": int(top1.size)}


def agreement(is_int8, outputs):
    """Every side's output against ONNX Runtime's on the same file; bf16 also against pixlake fp32."""
    reference = "ort int8" if is_int8 else "ort fp32"
    found = {}
    if reference in outputs:
        for name, out in outputs.items():
            if name != reference:
                found[name] = {"vs": reference, **_compare(out, outputs[reference])}
    for bf16, fp32 in (("pixlake bf16", "pixlake fp32"), ("pixlake bf16 (dequantized)", "pixlake f32 (dequantized)")):
        if bf16 in outputs and fp32 in outputs:
            found[bf16 + " vs fp32"] = {"vs": fp32, **_compare(outputs[bf16], outputs[fp32])}
    return found


def _best(case, side):
    result = case["sides"].get(side)
    return result["best"] if result else None


def _ratio(case, side, reference):
    a, b = _best(case, side), _best(case, reference)
    if not (a and b):
        return None
    return a["images_per_s"] / b["images_per_s"]


def _check(target, case, value, passed, detail=""):
    where = f"{case['model']} b{case['batch']} t{case['threads']}"
    return {"target": target, "case": where, "value": value, "pass": passed, "detail": detail}


def _failed(case, side):
    result = case["sides"].get(side)
    return result["error"] if result and result["error"] else None


def targets(cases):
    checks = []
    for case in cases:
        int8 = case["model"] == "mobilenetv2-int8"
        ours, theirs = ("pixlake int8", "ort int8") if int8 else ("pixlake fp32", "ort fp32")
        if _failed(case, theirs):
            continue  # no reference, no verdict
        error = _failed(case, ours)
        ratio = _ratio(case, ours, theirs)
        if int8:
            agree = case["agreement"].get(ours, {})
            unchanged = agree.get("top1_agree") is not None and agree["top1_agree"] == agree["top1_total"]
            detail = f"top-1 {agree.get('top1_agree')}/{agree.get('top1_total')}" if agree else "no output"
            checks.append(_check(f"int8 pixlake/ORT >= {INT8_RATIO}, top-1 unchanged", case,
                                 error or ratio, bool(ratio and ratio >= INT8_RATIO and unchanged), detail))
        else:
            checks.append(_check(f"fp32 pixlake/ORT >= {FP32_RATIO}", case, error or ratio,
                                 bool(ratio and ratio >= FP32_RATIO)))
            if case["model"] in BF16_MODELS and "pixlake bf16" in case["sides"]:
                bf16_error = _failed(case, "pixlake bf16")
                bf16_ratio = _ratio(case, "pixlake bf16", theirs)
                cosine = case["agreement"].get("pixlake bf16 vs fp32", {}).get("cosine_min")
                checks.append(_check(f"bf16/ORT fp32 >= {BF16_RATIO}, cosine vs fp32 >= {BF16_COSINE}", case,
                                     bf16_error or bf16_ratio,
                                     bool(bf16_ratio and bf16_ratio >= BF16_RATIO and cosine
                                          and cosine >= BF16_COSINE),
                                     f"cosine {cosine:.6f}" if cosine is not None else "no cosine"))
        a, b = _best(case, ours), _best(case, theirs)
        if a and b:
            checks.append(_check("peak RSS pixlake <= ORT", case, a["peak_rss_mb"] / b["peak_rss_mb"],
                                 a["peak_rss_mb"] <= b["peak_rss_mb"],
                                 f"{a['peak_rss_mb']:.0f} vs {b['peak_rss_mb']:.0f} MB"))
    return checks


def _agreement_text(case, side):
    found = case["agreement"]
    parts = []
    if side in found and "error" not in found[side]:
        a = found[side]
        parts.append(f"vs {a['vs'].split()[0].upper()}: cos {a['cosine_min']:.6f} max|d| {a['max_abs']:.2g} "
                     f"top1 {a['top1_agree']}/{a['top1_total']}")
    elif side in found:
        parts.append(found[side]["error"])
    if side + " vs fp32" in found:
        parts.append(f"vs fp32: cos {found[side + ' vs fp32']['cosine_min']:.6f}")
    return "; ".join(parts)


def _format(value):
    if isinstance(value, str):
        return "failed"
    return "n/a" if value is None else f"{value:.2f}"


def print_table(cases, peak, checks, notes, machine, commit, load_end):
    print(f"\npixlake inference benchmark: {machine['cpu']} ({machine['logical_cpus']} logical CPUs, "
          f"ISA {' '.join(machine['isa'])}), commit {commit}")
    print(f"load average {machine['load_average']} at start, {load_end} at end; peak = "
          f"{peak['single_thread_gflops']} GFLOP/s per thread (OpenBLAS sgemm) x threads")
    header = (f"{'model':<17} {'b':>2} {'t':>2}  {'side':<27} {'ms/batch':>9} {'ms/img':>8} {'img/s':>8} "
              f"{'GFLOP/s':>8} {'%peak':>6} {'RSS MB':>7} {'vs ORT':>7}  agreement")
    print(header)
    print("-" * len(header))
    for case in cases:
        reference = "ort int8" if case["model"] == "mobilenetv2-int8" else "ort fp32"
        for side, result in case["sides"].items():
            lead = f"{case['model']:<17} {case['batch']:>2} {case['threads']:>2}  {side:<27}"
            if result["error"]:
                print(f"{lead} failed: {result['error']}")
                continue
            best = result["best"]
            gflops = case["flops_per_image"] * best["images_per_s"] / 1e9
            percent = 100 * gflops / peak["peak_gflops"][str(case["threads"])]
            ratio = _ratio(case, side, reference)
            print(f"{lead} {best['ms_per_batch_median']:>9.2f} {best['ms_per_image_median']:>8.2f} "
                  f"{best['images_per_s']:>8.1f} {gflops:>8.1f} {percent:>5.1f}% {best['peak_rss_mb']:>7.0f} "
                  f"{_format(ratio):>7}  {_agreement_text(case, side)}")
    print("\nvs ORT = images/s of the side / images/s of ONNX Runtime on the same file (best median of the "
          "rounds each); GFLOP/s counts convolution, linear and attention multiply-adds only.")
    if notes:
        print("notes: " + "; ".join(notes))
    if checks:
        met = sum(1 for c in checks if c["pass"])
        print(f"\ntargets (issue \"fast inference\"): {met} of {len(checks)} met")
        for c in checks:
            value = c["value"]
            shown = f"failed: {value[:80]}" if isinstance(value, str) else _format(value)
            print(f"  {'PASS' if c['pass'] else 'FAIL'}  {c['target']:<48} {c['case']:<24} {shown:>8}  {c['detail']}")
