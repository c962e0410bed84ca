// Replaces the exact GELU as PyTorch exports it before opset 20,
//   y = Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)      (operands of Add / Mul either way)
// by one Gelu node: one pass over the activations instead of five (ViT-B/16 runs it on
// 197 x 3072 values in each of its 12 blocks). The fused node keeps the name of the last
// output, so consumers and requested outputs by that name are unchanged; the four
// intermediate tensors, which nothing else reads, no longer exist.
#pragma once

#include "graph/graph.h"

namespace pixlake {

// Returns how many GELUs were fused.
int fuse_gelu(Graph& graph);

}  // namespace pixlake
