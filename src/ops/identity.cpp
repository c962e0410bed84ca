// Identity: y = x (any dtype). The output shares the input's buffer.
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class IdentityOp final : public Op {
 public:
  Status init(const OpSetup&) override { return Status::ok(); }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input"));
    outputs[0] = *inputs[0];
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Op> make_op_Identity() { return std::make_unique<IdentityOp>(); }

}  // namespace pixlake
