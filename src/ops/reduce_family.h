// ReduceSum, ReduceMean, ReduceMax and ReduceMin share one implementation:
//   axes       an attribute before `axes_input_opset` (13 for ReduceSum, 18 for the others),
//              the optional int64 input 1 from then on; negative values count from the end;
//   keepdims   1 (default) keeps reduced axes as size 1, 0 drops them;
//   noop_with_empty_axes  with empty axes: 0 (default) reduces over all axes, 1 copies X.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pixlake {

enum class ReduceKind { kSum, kMean, kMax, kMin };

std::unique_ptr<Op> make_reduce_op(ReduceKind kind, int axes_input_opset);

}  // namespace pixlake
