#!/usr/bin/python3
"""Exports the float benchmark models of bench/inference to ONNX (generated, never committed).

  /usr/bin/python3 bench/inference/export_models.py [--out build/bench/models] [--models a,b] [--force]

torchvision resnet50, mobilenet_v2 and vit_b_16 with random weights (weights=None after
torch.manual_seed(0): no download, the same file on every machine with the same torch), eval mode,
input "input" [N,3,224,224] float32, output "output" [N,1000], batch axis dynamic, opset 17
(the newest torch 1.13's exporter writes; LayerNormalization is a single node there).
Beside each MODEL.onnx, MODEL.json holds its FLOPs per image (model_flops.py) for GFLOP/s.

Random weights are enough for speed: the arithmetic is the same as with trained ones. They are
not enough for accuracy claims, which is why the int8 comparison uses the shared trained model.
Needs Debian python3-torch, python3-torchvision and python3-onnx.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from model_flops import onnx_flops, torch_flops  # noqa: E402

MODELS = ("resnet50", "mobilenet_v2", "vit_b_16")
OPSET = 17
INPUT_SHAPE = (1, 3, 224, 224)
DEFAULT_OUT = os.path.join(REPO, "build", "bench", "models")


def sidecar_path(onnx_path):
    return os.path.splitext(onnx_path)[0] + ".json"


def write_json(path, record):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def export_one(name, out_dir):
    import onnx
    import torch
    import torchvision

    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    if name == "vit_b_16":
        # torchvision zero-initialises the ViT classifier, so every logit would be 0 and no
        # output comparison could tell a right engine from a wrong one: give it seeded weights.
        with torch.no_grad():
            torch.nn.init.normal_(model.heads.head.weight, std=0.02)
    path = os.path.join(out_dir, name + ".onnx")
    tmp = path + ".tmp"
    # Not under torch.no_grad(): there torch 1.13's nn.MultiheadAttention takes its fused fast
    # path (aten::_native_multi_head_attention), which the ONNX exporter cannot write.
    torch.onnx.export(model, torch.zeros(INPUT_SHAPE), tmp, opset_version=OPSET,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      do_constant_folding=True)
    onnx.checker.check_model(tmp)
    os.replace(tmp, path)  # a killed export never leaves a half file under the real name

    flops = torch_flops(model, INPUT_SHAPE)
    from_graph = onnx_flops(path)
    # The two counters walk different things (modules vs exported nodes); on the CNNs they agree
    # exactly. A lower graph count is expected where shape inference cannot follow the graph
    # (the ViT, see onnx_flops); a higher one would mean the hooks miss a layer kind.
    if abs(from_graph - flops) > 0.01 * flops:
        print(f"export_models: note: {name}: torch hooks count {flops / 1e9:.3f} GFLOP/image (used), "
              f"the ONNX graph cross-check {from_graph / 1e9:.3f} (partial where shapes are unknown)",
              file=sys.stderr)
    write_json(sidecar_path(path), {
        "model": name, "file": os.path.basename(path), "flops_per_image": flops,
        "flops_per_image_onnx_graph": from_graph,
        "flops_method": "2 x multiply-adds of Conv2d, Linear and MultiheadAttention (torch hooks); "
                        "norms, activations, pooling and adds not counted",
        "weights": "random, torch.manual_seed(0), weights=None", "torch": torch.__version__,
        "torchvision": torchvision.__version__, "opset": OPSET, "input": "input", "output": "output",
        "input_shape": ["batch", 3, 224, 224]})
    return path, flops


def write_onnx_sidecar(onnx_path, json_path, name):
    """FLOPs sidecar for a file we did not export (the shared int8 model)."""
    flops = onnx_flops(onnx_path)
    write_json(json_path, {"model": name, "file": os.path.abspath(onnx_path), "flops_per_image": flops,
                           "flops_method": "2 x multiply-adds of Conv/QLinearConv/Gemm/MatMul nodes "
                                           "(ONNX shape inference); other nodes not counted"})
    return flops


def export_missing(out_dir, names, force=False):
    """Exports the models whose .onnx or .json is missing; returns {name: onnx path}."""
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name in names:
        path = os.path.join(out_dir, name + ".onnx")
        if force or not (os.path.exists(path) and os.path.exists(sidecar_path(path))):
            print(f"export_models: exporting {name} -> {path}", file=sys.stderr)
            _, flops = export_one(name, out_dir)
            print(f"export_models: {name}: {flops / 1e9:.3f} GFLOP/image, "
                  f"{os.path.getsize(path) / 1e6:.1f} MB", file=sys.stderr)
        paths[name] = path
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="cache folder (default build/bench/models)")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    parser.add_argument("--force", action="store_true", help="re-export even when the file exists")
    args = parser.parse_args()
    names = [m for m in args.models.split(",") if m]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as error:
        sys.exit(f"export_models: {error}: apt-get install python3-torch python3-torchvision")
    export_missing(args.out, names, args.force)


if __name__ == "__main__":
    main()
