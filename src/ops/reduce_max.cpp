// ReduceMax: the maximum over the given axes (see reduce_family.h for axes, keepdims and opsets).
#include "ops/reduce_family.h"
#include "ops/registry.h"

namespace pixlake {

std::unique_ptr<Op> make_op_ReduceMax() { return make_reduce_op(ReduceKind::kMax, 18); }

}  // namespace pixlake
