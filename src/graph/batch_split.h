// Whether a graph computes each item of its input batch on its own, so that a batch can run
// one item at a time (and items on different threads).
//
// Why: a convolution network at batch 8 writes activations 8x larger than at batch 1; they
// no longer fit in the caches and the peak memory grows 8x (ResNet-50: 137 vs 103 ms per
// image, 774 vs 306 MB). Running the items one by one keeps every activation the size of
// one image and gives a thread pool whole images to share out.
//
// The test is conservative: a tensor "carries the batch" when it is the graph input or an
// operator output computed from one along axis 0 with a known rank; every operator reading
// such a tensor must be one that treats axis 0 item by item (convolution, pooling,
// element-wise with batch-free constants, Gemm/MatMul against constant weights, Flatten,
// Concat / Softmax off axis 0, ...). Anything else, a reshape that could move the batch, a
// reduction over it, a transpose, an operator not on the list, makes the answer "no", and the
// batch runs whole as before.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace pixlake {

// True when `graph` has exactly one input of rank >= 1 and every tensor in `outputs` is
// computed from it item by item along axis 0 (see above).
bool splits_by_batch(const Graph& graph, const std::vector<std::string>& outputs);

}  // namespace pixlake
