// Log: y = ln(x) (NaN below zero, -inf at zero, as in IEEE arithmetic).
#include "ops/elementwise.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

struct LogFn {
  float operator()(float x) const { return std::log(x); }
};

}  // namespace

std::unique_ptr<Op> make_op_Log() { return std::make_unique<UnaryOp<LogFn>>(); }

}  // namespace pixlake
