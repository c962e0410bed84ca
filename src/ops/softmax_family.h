// Softmax and LogSoftmax share everything but the last step, so both live in one class.
//   opset < 13: the input is viewed as 2-D [prod(dims[:axis]), prod(dims[axis:])] and each row
//               is normalised (default axis 1).
//   opset >= 13: normalised along the single axis `axis` (default -1).
#pragma once

#include <memory>

#include "ops/op.h"

namespace pixlake {

enum class SoftmaxKind { kSoftmax, kLogSoftmax };

std::unique_ptr<Op> make_softmax_op(SoftmaxKind kind);

}  // namespace pixlake
