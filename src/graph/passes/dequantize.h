// Runs a statically quantised model (QuantizeLinear -> QLinearConv / QLinearMatMul /
// QLinearAdd / ... -> DequantizeLinear, as ONNX Runtime's quantiser writes it) in float32.
//
// Each quantised node becomes its float twin with the weights dequantised once, followed by a
// Clip to the real range its uint8/int8 output can hold; activations stay float, so only the
// rounding to the integer grid between layers is dropped. The saturation is kept on purpose:
// it is where the quantiser put the model's ReLU / ReLU6. The result is the float model the
// quantiser started from, up to weight rounding: faster here than int8 arithmetic, and what
// the lake's mobilenetv2-f32 runs (see docs/performance.md for the accuracy comparison).
//
// Tensor names are kept: a quantised activation 'x_quantized' still exists under its name,
// now as float32 holding its dequantised value. Nodes not touching quantised tensors are
// left alone; a node that reads a quantised tensor and has no float twin here is refused,
// naming it.
#pragma once

#include "graph/graph.h"
#include "pixlake/status.h"

namespace pixlake {

Status dequantize_graph(Graph& graph);

}  // namespace pixlake
