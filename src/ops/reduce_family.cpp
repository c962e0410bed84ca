#include "ops/reduce_family.h"

#include <limits>
#include <type_traits>

#include "ops/elementwise.h"

namespace pixlake {
namespace {

struct ReduceDtypes {
  static constexpr bool kIntegers = true;
};

class ReduceOp final : public Op {
 public:
  ReduceOp(ReduceKind kind, int axes_input_opset)
      : kind_(kind), axes_input_opset_(axes_input_opset) {}

  Status init(const OpSetup& setup) override {
    keepdims_ = setup.attrs.get_int("keepdims", 1) != 0;
    axes_from_input_ = setup.opset >= axes_input_opset_;
    if (axes_from_input_) {
      noop_with_empty_axes_ = setup.attrs.get_int("noop_with_empty_axes", 0) != 0;
    } else {
      attr_axes_ = setup.attrs.get_ints("axes");
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input data"));
    const Tensor& x = *inputs[0];
    std::vector<int64_t> axes = attr_axes_;
    if (axes_from_input_ && inputs.size() > 1 && inputs[1] != nullptr) {
      PIXLAKE_RETURN_IF_ERROR(expect_dtype(inputs[1], DType::kI64, "input axes"));
      axes = inputs[1]->to_ints();
    }
    if (axes.empty() && noop_with_empty_axes_) {
      outputs[0] = x.clone();
      return Status::ok();
    }
    // reduced[d]: whether axis d is reduced; empty axes reduce everything.
    std::vector<bool> reduced(static_cast<size_t>(x.rank()), axes.empty());
    for (int64_t axis : axes) {
      PIXLAKE_ASSIGN_OR_RETURN(int64_t a, normalize_axis(axis, x.rank()));
      if (x.rank() == 0) continue;
      if (reduced[static_cast<size_t>(a)]) {
        return invalid_argument("axis " + std::to_string(axis) + " is listed twice in axes");
      }
      reduced[static_cast<size_t>(a)] = true;
    }
    return dispatch_dtype<ReduceDtypes>(
        x, "input data", [&]<typename T>() { return reduce<T>(x, reduced, outputs[0]); });
  }

 private:
  template <typename T>
  Status reduce(const Tensor& x, const std::vector<bool>& reduced, Tensor& out) const {
    // Floats accumulate in double so that long sums keep float32 accuracy.
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, T>;
    Shape kept_shape;   // keepdims form: reduced axes become 1
    int64_t count = 1;  // elements folded into each output
    for (int64_t d = 0; d < x.rank(); ++d) {
      bool r = reduced[static_cast<size_t>(d)];
      kept_shape.push_back(r ? 1 : x.dim(d));
      if (r) count *= x.dim(d);
    }
    std::vector<int64_t> kept_strides = shape_strides(kept_shape);
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (reduced[static_cast<size_t>(d)]) kept_strides[static_cast<size_t>(d)] = 0;
    }
    int64_t n_out = shape_numel(kept_shape);
    Acc start = 0;
    if (kind_ == ReduceKind::kMax) start = std::numeric_limits<Acc>::lowest();
    if (kind_ == ReduceKind::kMin) start = std::numeric_limits<Acc>::max();
    std::vector<Acc> acc(static_cast<size_t>(n_out), start);

    // Walks X in order with a multi-index, keeping the matching output offset up to date.
    const T* src = x.data<T>();
    std::vector<int64_t> index(static_cast<size_t>(x.rank()), 0);
    int64_t out_offset = 0;
    for (int64_t i = 0; i < x.numel(); ++i) {
      Acc v = static_cast<Acc>(src[i]);
      Acc& a = acc[static_cast<size_t>(out_offset)];
      switch (kind_) {
        case ReduceKind::kSum:
        case ReduceKind::kMean:
          if constexpr (std::is_integral_v<Acc>) {
            // Integer sums wrap like NumPy; signed overflow would be UB (fuzz_onnx_import).
            using U = std::make_unsigned_t<Acc>;
            a = static_cast<Acc>(static_cast<U>(a) + static_cast<U>(v));
          } else {
            a += v;
          }
          break;
        case ReduceKind::kMax: a = v > a ? v : a; break;
        case ReduceKind::kMin: a = v < a ? v : a; break;
      }
      for (size_t d = index.size(); d-- > 0;) {
        out_offset += kept_strides[d];
        if (++index[d] < x.shape()[d]) break;
        out_offset -= kept_strides[d] * index[d];
        index[d] = 0;
      }
    }

    Shape out_shape;
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (!reduced[static_cast<size_t>(d)] || keepdims_)
        out_shape.push_back(kept_shape[static_cast<size_t>(d)]);
    }
    Tensor y(x.dtype(), out_shape);
    T* dst = y.data<T>();
    for (int64_t i = 0; i < n_out; ++i) {
      Acc a = acc[static_cast<size_t>(i)];
      if (kind_ == ReduceKind::kMean) {
        // 0 / 0 for an empty reduction gives NaN for floats; integers have no NaN to give.
        if (count == 0 && std::is_integral_v<T>) {
          return invalid_argument("ReduceMean over an empty axis of " + x.describe());
        }
        if (count != 0 || !std::is_integral_v<T>) a = a / static_cast<Acc>(count);
      }
      dst[i] = static_cast<T>(a);
    }
    out = std::move(y);
    return Status::ok();
  }

  ReduceKind kind_;
  int axes_input_opset_;
  bool keepdims_ = true;
  bool axes_from_input_ = false;
  bool noop_with_empty_axes_ = false;
  std::vector<int64_t> attr_axes_;
};

}  // namespace

std::unique_ptr<Op> make_reduce_op(ReduceKind kind, int axes_input_opset) {
  return std::make_unique<ReduceOp>(kind, axes_input_opset);
}

}  // namespace pixlake
