// LogSoftmax: y = x - log(sum(exp(x))) along an axis (see softmax_family.h for the opset forms).
#include "ops/registry.h"
#include "ops/softmax_family.h"

namespace pixlake {

std::unique_ptr<Op> make_op_LogSoftmax() { return make_softmax_op(SoftmaxKind::kLogSoftmax); }

}  // namespace pixlake
