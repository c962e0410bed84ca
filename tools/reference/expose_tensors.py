#!/usr/bin/python3
"""Copies an ONNX model, adding named intermediate tensors as graph outputs.

ONNX Runtime only returns graph outputs, so parity tests that compare an
intermediate tensor (e.g. an embedding) expose it first:

    /usr/bin/python3 expose_tensors.py IN.onnx OUT.onnx NAME [NAME ...]

A graph output needs an element type. We take it from onnx.shape_inference;
where inference cannot type a tensor (it stops at ops it has no schema for,
such as com.microsoft QLinearAdd), we propagate types forward through the
graph with a few op-specific rules and otherwise the type of the node's first
typed input. Only the element type is declared, not the shape: a wrong or
partial inferred shape would make ONNX Runtime warn or refuse, and the runtime
reports the real shape anyway.

Needs Debian's python3-onnx (run with /usr/bin/python3). Exits 1 with a
message naming the tensor when it cannot expose it.
"""

import sys

import onnx
from onnx import TensorProto, helper

# Ops whose output element type is fixed whatever their inputs are.
_FIXED_OUTPUT_TYPE = {
    "Shape": TensorProto.INT64,
    "Size": TensorProto.INT64,
    "NonZero": TensorProto.INT64,
    "ArgMax": TensorProto.INT64,
    "ArgMin": TensorProto.INT64,
    "DynamicQuantizeLinear": TensorProto.UINT8,
    "Equal": TensorProto.BOOL,
    "Less": TensorProto.BOOL,
    "LessOrEqual": TensorProto.BOOL,
    "Greater": TensorProto.BOOL,
    "GreaterOrEqual": TensorProto.BOOL,
    "Not": TensorProto.BOOL,
    "And": TensorProto.BOOL,
    "Or": TensorProto.BOOL,
    "Xor": TensorProto.BOOL,
    "IsNaN": TensorProto.BOOL,
    "IsInf": TensorProto.BOOL,
}


def _fail(message):
    print(f"expose_tensors: {message}", file=sys.stderr)
    sys.exit(1)


def _known_types(model):
    """Element types the model declares or shape inference can derive."""
    types = {}
    graph = model.graph
    for init in graph.initializer:
        types[init.name] = init.data_type
    try:
        inferred = onnx.shape_inference.infer_shapes(model).graph
    except Exception as error:  # inference is best effort; the fallback below types the rest
        print(f"expose_tensors: shape inference failed ({error}); typing from the graph", file=sys.stderr)
        inferred = graph
    for value in list(inferred.input) + list(inferred.value_info) + list(inferred.output):
        if value.type.HasField("tensor_type") and value.type.tensor_type.elem_type:
            types[value.name] = value.type.tensor_type.elem_type
    return types


def _fallback_type(node, types):
    """Output element type of `node` from its inputs, or None if unknown."""
    if node.op_type in _FIXED_OUTPUT_TYPE:
        return _FIXED_OUTPUT_TYPE[node.op_type]
    if node.op_type == "Cast":
        return helper.get_attribute_value(next(a for a in node.attribute if a.name == "to"))
    if node.op_type == "DequantizeLinear":
        # Output has the scale's type (float unless the scale says otherwise).
        return types.get(node.input[1], TensorProto.FLOAT) if len(node.input) > 1 else TensorProto.FLOAT
    if node.op_type == "QuantizeLinear":
        zero_point = node.input[2] if len(node.input) > 2 else ""
        return types.get(zero_point, TensorProto.UINT8)
    # QLinear* ops (default and com.microsoft domains) and everything else:
    # the output has the type of the first (data) input.
    for name in node.input:
        if name and name in types:
            return types[name]
    return None


def _element_types(model):
    types = _known_types(model)
    # Nodes are topologically sorted in a valid ONNX graph, so one forward pass suffices.
    for node in model.graph.node:
        for output in node.output:
            if output and output not in types:
                guessed = _fallback_type(node, types)
                if guessed:
                    types[output] = guessed
    return types


def expose(model, names):
    graph = model.graph
    already = {o.name for o in graph.output}
    produced = {o for node in graph.node for o in node.output}
    not_computed = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    todo = [n for n in dict.fromkeys(names) if n not in already]
    for name in todo:
        if name not in produced:
            if name in not_computed:
                _fail(f"tensor '{name}' is a graph input or initializer, not computed by a node")
            _fail(f"tensor '{name}' is not produced by any node of the main graph")
    if not todo:
        return
    types = _element_types(model)
    for name in todo:
        if name not in types:
            _fail(f"cannot determine the element type of tensor '{name}' (shape inference and the graph both fail)")
        graph.output.append(helper.make_tensor_value_info(name, types[name], None))


def main(argv):
    if len(argv) < 4:
        _fail("usage: expose_tensors.py IN.onnx OUT.onnx NAME [NAME ...]")
    source, target, names = argv[1], argv[2], argv[3:]
    try:
        model = onnx.load(source)
    except Exception as error:
        _fail(f"cannot load '{source}': {error}")
    expose(model, names)
    onnx.save(model, target)


if __name__ == "__main__":
    main(sys.argv)
