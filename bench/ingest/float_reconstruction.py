#!/usr/bin/python3
"""Rewrites the statically quantised MobileNetV2 into the equivalent float graph, up to '627'.

Why: OpenCV 4.6 DNN runs the int8 model, but slowly (its int8 layers are far from its float
ones), so the benchmark also offers the Python peer this float twin; the shared README's
retrieval reference was measured on the same kind of reconstruction.

How, node by node (uint8 activations, per-channel int8 weights, int32 bias):
  QuantizeLinear(x)         -> Clip(x) to the range uint8 can hold at that scale/zero point
  QLinearConv               -> Conv(W = (w - w_zp) * w_scale, B = b * x_scale * w_scale), then the
                               Clip of the output's range: this is where ReLU6 hides
  QLinearAdd                -> Add, then Clip
  DequantizeLinear('627')   -> not needed: the Clip after the last conv writes '627'
Rounding to the uint8 grid between layers is dropped, so embeddings differ slightly from the
int8 model's (the benchmark prints the cosine). Nodes after '627' (pool, classifier) are dropped.

usage: float_reconstruction.py INT8.onnx OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

EMBEDDING = "627"


def reconstruct(model):
    graph = model.graph
    consts = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    # Float name of each quantised activation: 'x_quantized' -> 'x'.
    float_name = {"input_quantized": "input"}
    nodes, weights = [], []

    def constant(name, value):
        weights.append(numpy_helper.from_array(np.asarray(value, np.float32), name))
        return name

    def clip_to_range(src, dst, scale_name, zp_name, node_name):
        scale, zp = float(consts[scale_name]), float(consts[zp_name])
        nodes.append(helper.make_node("Clip", [src], [dst], name=node_name,
                                      min=(0.0 - zp) * scale, max=(255.0 - zp) * scale))

    for node in graph.node:
        ins, out = list(node.input), node.output[0]
        if node.op_type == "QuantizeLinear":
            clip_to_range(ins[0], out[: -len("_quantized")] + "_clipped", ins[1], ins[2], node.name)
            float_name[out] = out[: -len("_quantized")] + "_clipped"
        elif node.op_type == "QLinearConv":
            x, x_scale, w, w_scale, w_zp, y_scale, y_zp = ins[0], ins[1], ins[3], ins[4], ins[5], ins[6], ins[7]
            per_channel = (-1,) + (1,) * (consts[w].ndim - 1)
            w_float = (consts[w].astype(np.float32) - consts[w_zp].astype(np.float32).reshape(per_channel)) \
                * consts[w_scale].reshape(per_channel)
            conv_in = [float_name[x], constant(node.name + "_W", w_float)]
            if len(ins) > 8:
                conv_in.append(constant(node.name + "_B",
                                        consts[ins[8]].astype(np.float32) * consts[x_scale] * consts[w_scale]))
            y = out[: -len("_quantized")]
            nodes.append(helper.make_node("Conv", conv_in, [y + "_conv"], name=node.name + "_float",
                                          **{a.name: helper.get_attribute_value(a) for a in node.attribute}))
            clip_to_range(y + "_conv", y, y_scale, y_zp, node.name + "_range")
            float_name[out] = y
        elif node.op_type == "QLinearAdd":
            y = out[: -len("_quantized")]
            nodes.append(helper.make_node("Add", [float_name[ins[0]], float_name[ins[3]]], [y + "_add"],
                                          name=node.name + "_float"))
            clip_to_range(y + "_add", y, ins[6], ins[7], node.name + "_range")
            float_name[out] = y
        else:
            sys.exit(f"float_reconstruction: unexpected node '{node.name}' ({node.op_type}) before '{EMBEDDING}'")
        if float_name.get(out) == EMBEDDING:
            break  # the Clip after the last conv writes '627'; pool and classifier are not needed

    features = helper.make_tensor_value_info(EMBEDDING, onnx.TensorProto.FLOAT, ["N", 1280, 7, 7])
    new_graph = helper.make_graph(nodes, graph.name + "_float", [graph.input[0]], [features], weights)
    # Opset 10: OpenCV 4.6 reads Clip bounds only as attributes (opset 11 made them inputs).
    opset = [helper.make_opsetid("", 10)]
    result = helper.make_model(new_graph, opset_imports=opset, producer_name="pixlake bench/ingest")
    result.ir_version = model.ir_version
    onnx.checker.check_model(result)
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    onnx.save(reconstruct(onnx.load(sys.argv[1])), sys.argv[2])


if __name__ == "__main__":
    main()
