// Constant: outputs the tensor held in one of its attributes: `value` (a tensor),
// `value_float`, `value_floats`, `value_int` or `value_ints` (the last four since opset 12).
// sparse_value and the string forms are not read, so the graph builder refuses them.
#include "ops/op_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

class ConstantOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Attributes& attrs = setup.attrs;
    int n_values = 0;
    if (attrs.has("value")) {
      ++n_values;
      if (auto t = attrs.get_tensor("value")) value_ = *t;
    }
    if (attrs.has("value_float")) {
      ++n_values;
      value_ = Tensor::scalar<float>(attrs.get_float("value_float", 0.0f));
    }
    if (attrs.has("value_floats")) {
      ++n_values;
      std::vector<float> v = attrs.get_floats("value_floats");
      value_ = Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v);
    }
    if (attrs.has("value_int")) {
      ++n_values;
      value_ = Tensor::scalar<int64_t>(attrs.get_int("value_int", 0));
    }
    if (attrs.has("value_ints")) {
      ++n_values;
      std::vector<int64_t> v = attrs.get_ints("value_ints");
      value_ = Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v);
    }
    if (n_values > 1) return invalid_argument("Constant must have exactly one value attribute");
    if (n_values == 0 && attrs.unread().empty()) {
      return invalid_argument("Constant has no value attribute");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const>, std::span<Tensor> outputs) override {
    if (!value_.defined()) return invalid_argument("Constant has no supported value attribute");
    outputs[0] = value_;
    return Status::ok();
  }

 private:
  Tensor value_;
};

}  // namespace

std::unique_ptr<Op> make_op_Constant() { return std::make_unique<ConstantOp>(); }

}  // namespace pixlake
