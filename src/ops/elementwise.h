// Shared machinery for element-wise operators, so that each operator file only states its
// formula and attributes:
//   UnaryOp<Fn>    y = fn(x) for every element (float32; integers too when Fn says so).
//   BinaryOp<Fn>   z = fn(a, b) with NumPy broadcasting, plus the opset < 7 `broadcast`/`axis`
//                  attributes (legacy broadcasting).
//   VariadicOp<Fn> y = fn(...fn(fn(x0, x1), x2)..., xn) with NumPy broadcasting (Max, Min, Sum).
//
// A functor Fn provides:
//   Status init(const OpSetup&)          reads its attributes (may be omitted when none),
//   template <typename T> T operator()(T ...) const   the formula,
// and optionally `static constexpr bool kIntegers = true` to accept int32/int64 tensors, and
// (binary only) `static constexpr bool kDouble = true` to accept float64 tensors.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "ops/op.h"
#include "ops/op_util.h"

namespace pixlake {

// Opsets before 6 gave many element-wise operators a `consumed_inputs` attribute (an in-place
// hint for old runtimes). It has no effect on the result; reading it lets the graph builder
// accept such models.
inline void read_legacy_consumed_inputs(const OpSetup& setup) {
  if (setup.opset < 6) (void)setup.attrs.get_ints("consumed_inputs");
}

template <typename Fn>
constexpr bool functor_accepts_integers() {
  if constexpr (requires { Fn::kIntegers; }) {
    return Fn::kIntegers;
  } else {
    return false;
  }
}

template <typename Fn>
constexpr bool functor_accepts_double() {
  if constexpr (requires { Fn::kDouble; }) {
    return Fn::kDouble;
  } else {
    return false;
  }
}

template <typename Fn>
Status init_functor(Fn& fn, const OpSetup& setup) {
  if constexpr (requires { fn.init(setup); }) {
    return fn.init(setup);
  } else {
    return Status::ok();
  }
}

// Calls body.template operator()<T>() for the C++ type T matching `dtype`, among those the
// functor Fn accepts; otherwise returns an error naming `what` and the tensor.
template <typename Fn, typename Body>
Status dispatch_dtype(const Tensor& t, const char* what, Body&& body) {
  switch (t.dtype()) {
    case DType::kF32: return body.template operator()<float>();
    case DType::kF64:
      if constexpr (functor_accepts_double<Fn>()) return body.template operator()<double>();
      break;
    case DType::kI32:
      if constexpr (functor_accepts_integers<Fn>()) return body.template operator()<int32_t>();
      break;
    case DType::kI64:
      if constexpr (functor_accepts_integers<Fn>()) return body.template operator()<int64_t>();
      break;
    default: break;
  }
  std::string allowed = "f32";
  if constexpr (functor_accepts_double<Fn>()) allowed += ", f64";
  if constexpr (functor_accepts_integers<Fn>()) allowed += ", i32, i64";
  return unsupported(std::string(what) + " must be " + allowed + ", got " + t.describe());
}

template <typename Fn>
class UnaryOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    return init_functor(fn_, setup);
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input X"));
    const Tensor& x = *inputs[0];
    return dispatch_dtype<Fn>(x, "input X", [&]<typename T>() {
      Tensor y(x.dtype(), x.shape());
      const T* src = x.data<T>();
      T* dst = y.data<T>();
      for (int64_t i = 0; i < x.numel(); ++i) dst[i] = fn_(src[i]);
      outputs[0] = std::move(y);
      return Status::ok();
    });
  }

 private:
  Fn fn_;
};

// Applies fn(a, b) over the NumPy broadcast of a and b (same dtype T).
template <typename T, typename Fn>
Result<Tensor> broadcast_binary(const Tensor& a, const Tensor& b, const Fn& fn) {
  PIXLAKE_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes({a.shape(), b.shape()}));
  Tensor out(dtype_of<T>(), out_shape);
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* po = out.data<T>();
  BroadcastIterator it(out_shape, {a.shape(), b.shape()});
  for (int64_t i = 0; i < out.numel(); ++i, it.next())
    po[i] = fn(pa[it.offset(0)], pb[it.offset(1)]);
  return out;
}

// Opset < 7 broadcasting: with broadcast=1, B's shape is a contiguous run of A's shape that
// starts at `axis` (default: aligned to the right). Returns B reshaped to A's rank (1s around
// it) so that NumPy broadcasting then gives the legacy result.
Result<Tensor> legacy_broadcast_rhs(const Tensor& a, const Tensor& b, bool broadcast,
                                    std::optional<int64_t> axis);

template <typename Fn>
class BinaryOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    if (setup.opset < 7) {
      legacy_ = true;
      legacy_broadcast_ = setup.attrs.get_int("broadcast", 0) != 0;
      if (setup.attrs.has("axis")) legacy_axis_ = setup.attrs.get_int("axis", 0);
    }
    return init_functor(fn_, setup);
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input A"));
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[1], "input B"));
    const Tensor& a = *inputs[0];
    Tensor b = *inputs[1];
    if constexpr (requires { Fn::kConvertRhs; }) {
      // Pow (opset 12+) lets the exponent have its own numeric type.
      if (b.dtype() != a.dtype()) b = cast_tensor(b, a.dtype());
    }
    if (b.dtype() != a.dtype()) {
      return invalid_argument("inputs A and B must have the same dtype, got " + a.describe() +
                              " and " + b.describe());
    }
    if (legacy_) {
      PIXLAKE_ASSIGN_OR_RETURN(b, legacy_broadcast_rhs(a, b, legacy_broadcast_, legacy_axis_));
    }
    return dispatch_dtype<Fn>(a, "input A", [&]<typename T>() {
      if constexpr (requires { Fn::template check_rhs<T>(b); }) {
        PIXLAKE_RETURN_IF_ERROR(Fn::template check_rhs<T>(b));
      }
      PIXLAKE_ASSIGN_OR_RETURN(outputs[0], broadcast_binary<T>(a, b, fn_));
      return Status::ok();
    });
  }

 private:
  Fn fn_;
  bool legacy_ = false;
  bool legacy_broadcast_ = false;
  std::optional<int64_t> legacy_axis_;
};

template <typename Fn>
class VariadicOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    return init_functor(fn_, setup);
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.empty()) return invalid_argument("at least one input is required");
    for (size_t i = 0; i < inputs.size(); ++i) {
      PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[i], "input"));
      if (inputs[i]->dtype() != inputs[0]->dtype()) {
        return invalid_argument("all inputs must have the same dtype, got " +
                                inputs[0]->describe() + " and " + inputs[i]->describe());
      }
    }
    return dispatch_dtype<Fn>(*inputs[0], "input 0", [&]<typename T>() {
      // Folding pairwise gives the same shape as broadcasting all inputs at once.
      Tensor acc = inputs[0]->clone();
      for (size_t i = 1; i < inputs.size(); ++i) {
        PIXLAKE_ASSIGN_OR_RETURN(acc, broadcast_binary<T>(acc, *inputs[i], fn_));
      }
      if constexpr (requires { fn_.template finish<T>(acc, inputs.size()); }) {
        fn_.template finish<T>(acc, inputs.size());
      }
      outputs[0] = std::move(acc);
      return Status::ok();
    });
  }

 private:
  Fn fn_;
};

}  // namespace pixlake
