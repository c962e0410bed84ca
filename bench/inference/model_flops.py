"""FLOPs per image of the benchmark models, for the GFLOP/s column of bench/inference.

Counted: multiply-adds of convolutions, fully connected layers and attention matmuls, times 2
(one multiply + one add). Not counted: batch norm, activations, pooling, softmax, layer norm,
residual adds; these are a few percent of the total for the three CNN/ViT models here, so the
figure is slightly low, never high, and it is the same figure for every side.

Two counters that must agree on the float models (export_models.py checks it):
- torch_flops(model, shape): forward hooks on Conv2d, Linear and MultiheadAttention (torchvision
  ViT's attention calls F.multi_head_attention_forward with its own weights, so neither the
  in-projection nor out_proj fires a Linear hook; it is counted as a whole).
- onnx_flops(path): walks an ONNX file's Conv / QLinearConv / Gemm / MatMul / QLinearMatMul /
  MatMulInteger nodes with shapes from ONNX shape inference; used for files torch did not
  write (the shared int8 MobileNetV2).
"""
import numpy as np


def torch_flops(model, input_shape):
    """FLOPs of one forward pass of `model` on a zero tensor of `input_shape` (batch 1)."""
    import torch

    macs = [0]

    def conv_hook(module, _inputs, output):
        k_h, k_w = module.kernel_size
        macs[0] += output.numel() * (module.in_channels // module.groups) * k_h * k_w

    def linear_hook(module, _inputs, output):
        macs[0] += output.numel() * module.in_features

    def attention_hook(module, _inputs, output):
        # The attention output has the query's shape, [N, L, E] when batch_first (torchvision
        # ViT), else [L, N, E]; the inputs may not be seen, ViT passes them as keywords.
        shape = output[0].shape
        n, length = (shape[0], shape[1]) if module.batch_first else (shape[1], shape[0])
        e = module.embed_dim
        macs[0] += n * (3 * length * e * e  # q, k, v projections
                        + 2 * length * length * e  # q k^T and attention @ v, summed over heads
                        + length * e * e)  # output projection

    hooks = []
    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            hooks.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, torch.nn.MultiheadAttention):
            hooks.append(module.register_forward_hook(attention_hook))
        elif isinstance(module, torch.nn.Linear):
            hooks.append(module.register_forward_hook(linear_hook))
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for hook in hooks:
            hook.remove()
    return 2 * macs[0] // input_shape[0]


def _dims(value_info):
    """Static dims of a value_info; symbolic ones (the batch) count as 1."""
    dims = value_info.type.tensor_type.shape.dim
    return [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else 1 for d in dims]


def _known_shapes(model):
    shapes = {}
    graph = model.graph
    for vi in list(graph.input) + list(graph.value_info) + list(graph.output):
        if vi.type.tensor_type.HasField("shape"):
            shapes[vi.name] = _dims(vi)
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def _contrib_shapes(model, shapes):
    """Output shapes of the com.microsoft QLinear* nodes ONNX shape inference does not know.

    ONNX Runtime's quantiser writes QLinearAdd / QLinearMul (inputs A, A_scale, A_zp, B, ...,
    numpy broadcasting) and QLinearGlobalAveragePool ([N, C, 1, 1], channels first). Returns
    value_infos for the outputs it can now give a shape, so inference can continue past them.
    """
    import onnx

    found = []
    for node in model.graph.node:
        if node.domain != "com.microsoft" or node.output[0] in shapes:
            continue
        a = shapes.get(node.input[0])
        if a is None:
            continue
        if node.op_type in ("QLinearAdd", "QLinearMul") and node.input[3] in shapes:
            out = list(np.broadcast_shapes(tuple(a), tuple(shapes[node.input[3]])))
        elif node.op_type in ("QLinearSigmoid", "QLinearLeakyRelu"):
            out = list(a)
        elif node.op_type == "QLinearGlobalAveragePool" and len(a) >= 3:
            out = a[:2] + [1] * (len(a) - 2)
        else:
            continue
        shapes[node.output[0]] = out
        found.append(onnx.helper.make_tensor_value_info(node.output[0], onnx.TensorProto.UINT8, out))
    return found


def onnx_flops(path):
    """FLOPs per image of an ONNX file (batch dimension taken as 1).

    Shapes come from ONNX shape inference with the batch fixed at 1 and data propagation (so that
    Shape -> Gather -> Concat -> Reshape chains resolve), re-run past contrib QLinear* nodes. What
    still has no shape is not counted: torch's ViT export hides its reshapes behind Where/Equal,
    so this counter is only a cross-check there (the torch hook count is the one reported).
    """
    import onnx

    model = onnx.load(path)
    for graph_input in model.graph.input:
        dims = graph_input.type.tensor_type.shape.dim
        if len(dims) > 0 and not dims[0].HasField("dim_value"):
            dims[0].dim_value = 1
    while True:
        model = onnx.shape_inference.infer_shapes(model, data_prop=True)
        shapes = _known_shapes(model)
        found = _contrib_shapes(model, shapes)
        if not found:
            break
        model.graph.value_info.extend(found)

    macs = 0
    for node in model.graph.node:
        op = node.op_type
        out = shapes.get(node.output[0])
        if op in ("Conv", "QLinearConv"):
            weight = shapes.get(node.input[3] if op == "QLinearConv" else node.input[1])
            if out and weight:
                macs += int(np.prod(out)) * int(np.prod(weight[1:]))
        elif op in ("Gemm", "MatMul", "QLinearMatMul", "MatMulInteger"):
            a = shapes.get(node.input[0])
            if not (out and a):
                continue
            k = a[-1]
            if op == "Gemm" and any(attr.name == "transA" and attr.i for attr in node.attribute):
                k = a[0]
            macs += int(np.prod(out)) * k
    return 2 * macs
