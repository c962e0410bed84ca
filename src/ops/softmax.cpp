// Softmax: y = exp(x) / sum(exp(x)) along an axis (see softmax_family.h for the opset forms).
#include "ops/registry.h"
#include "ops/softmax_family.h"

namespace pixlake {

std::unique_ptr<Op> make_op_Softmax() { return make_softmax_op(SoftmaxKind::kSoftmax); }

}  // namespace pixlake
