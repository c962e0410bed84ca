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
// and optionally `static constexpr bool kIntegers = true` to accept int32/int64 tensors,
// (binary only) `static constexpr bool kDouble = true` to accept float64 tensors, and (unary
// only) `VmathFn array_kernel() const`, a whole-array float32 kernel used instead of the
// formula when not null (src/kernels/f32_vmath).
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "core/thread_pool.h"
#include "kernels/f32_vmath/vmath.h"
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

// Elements per thread below which element-wise work stays on one thread.
constexpr int64_t kParallelGrain = int64_t{1} << 14;

template <typename Fn>
class UnaryOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    read_legacy_consumed_inputs(setup);
    pool_ = setup.pool;
    return init_functor(fn_, setup);
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(expect_present(inputs[0], "input X"));
    const Tensor& x = *inputs[0];
    return dispatch_dtype<Fn>(x, "input X", [&]<typename T>() {
      Tensor y = Tensor::uninitialized(x.dtype(), x.shape());
      const T* src = x.data<T>();
      T* dst = y.data<T>();
      if constexpr (std::is_same_v<T, float> && requires { fn_.array_kernel(); }) {
        if (const VmathFn kernel = fn_.array_kernel()) {
          parallel_ranges(pool_, x.numel(), kParallelGrain, [&](int64_t begin, int64_t end) {
            kernel(end - begin, src + begin, dst + begin);
          });
          outputs[0] = std::move(y);
          return Status::ok();
        }
      }
      parallel_ranges(pool_, x.numel(), kParallelGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) dst[i] = fn_(src[i]);
      });
      outputs[0] = std::move(y);
      return Status::ok();
    });
  }

 private:
  ThreadPool* pool_ = nullptr;
  Fn fn_;
};

// How a binary broadcast splits into an outer loop and a contiguous inner run: the longest
// suffix of the output's dimensions on which each input is either whole (same extents as the
// output) or absent (all 1). Over that suffix an input advances by 1 per element or stays put.
struct InnerRun {
  int64_t length = 1;      // elements per run (product of the suffix)
  Shape outer;             // the output's dimensions before the suffix
  Shape a_outer, b_outer;  // the inputs' dimensions before the suffix (right-aligned)
  bool a_whole = false;    // a advances along the run (else one value per run)
  bool b_whole = false;
};

// Strides (in elements of the input) of `in` over the dimensions of `out` (right-aligned, 0
// where broadcast).
inline std::vector<int64_t> broadcast_strides(const Shape& out, const Shape& in) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t step = 1;
  for (size_t i = in.size(); i-- > 0;) {
    const size_t d = out.size() - in.size() + i;
    strides[d] = in[i] == 1 ? 0 : step;
    step *= in[i];
  }
  return strides;
}

inline InnerRun inner_run(const Shape& out, const Shape& a, const Shape& b) {
  // Extent of input `in` at output dimension d (right-aligned; 1 where it has none).
  auto extent = [&out](const Shape& in, size_t d) -> int64_t {
    const size_t skip = out.size() - in.size();
    return d < skip ? 1 : in[d - skip];
  };
  InnerRun run;
  size_t split = out.size();
  int a_kind = -1, b_kind = -1;  // per input over the suffix: 1 whole, 0 absent, -1 not yet known
  auto fits = [](int& kind, int64_t ext, int64_t full) {
    if (full == 1) return true;  // extent-1 output dimensions go with either kind
    const int here = ext == full ? 1 : 0;
    if (kind == -1) kind = here;
    return kind == here;
  };
  while (split > 0) {
    const size_t d = split - 1;
    int a_try = a_kind, b_try = b_kind;
    if (!fits(a_try, extent(a, d), out[d]) || !fits(b_try, extent(b, d), out[d])) break;
    a_kind = a_try;
    b_kind = b_try;
    run.length *= out[d];
    --split;
  }
  run.a_whole = a_kind == 1;
  run.b_whole = b_kind == 1;
  run.outer.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(split));
  auto prefix = [&](const Shape& in) {
    const size_t skip = out.size() - in.size();
    return split <= skip
               ? Shape{}
               : Shape(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(split - skip));
  };
  run.a_outer = prefix(a);
  run.b_outer = prefix(b);
  return run;
}

// Applies fn(a, b) over the NumPy broadcast of a and b (same dtype T): an outer walk over the
// broadcast dimensions and, inside, a plain loop over a contiguous run (a bias row added to
// every token, a per-channel scale over a feature map) that the compiler vectorises.
template <typename T, typename Fn>
Result<Tensor> broadcast_binary(const Tensor& a, const Tensor& b, const Fn& fn,
                                ThreadPool* pool = nullptr) {
  PIXLAKE_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes({a.shape(), b.shape()}));
  Tensor out = Tensor::uninitialized(dtype_of<T>(), out_shape);
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* po = out.data<T>();
  if (out.numel() == 0) return out;
  const InnerRun run = inner_run(out_shape, a.shape(), b.shape());
  const int64_t len = run.length;
  const int64_t a_step = run.a_whole ? len : 1;  // input elements per outer position
  const int64_t b_step = run.b_whole ? len : 1;
  const int64_t n_outer = shape_numel(run.outer);
  // Each input's offset (in runs) at outer position o, from its strides over the outer dims.
  const std::vector<int64_t> a_strides = broadcast_strides(run.outer, run.a_outer);
  const std::vector<int64_t> b_strides = broadcast_strides(run.outer, run.b_outer);
  auto offsets = [&](int64_t o, int64_t& oa, int64_t& ob) {
    oa = ob = 0;
    for (size_t d = run.outer.size(); d-- > 0;) {
      const int64_t index = o % run.outer[d];
      o /= run.outer[d];
      oa += index * a_strides[d];
      ob += index * b_strides[d];
    }
  };
  // Runs of at least 16k elements per thread: below that, handing out the work costs more.
  const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(len, 1));
  parallel_ranges(pool, n_outer, grain, [&](int64_t first, int64_t last) {
    for (int64_t o = first; o < last; ++o) {
      int64_t oa = 0, ob = 0;
      offsets(o, oa, ob);
      const T* ra = pa + oa * a_step;
      const T* rb = pb + ob * b_step;
      T* ro = po + o * len;
      if (run.a_whole && run.b_whole) {
        for (int64_t i = 0; i < len; ++i) ro[i] = fn(ra[i], rb[i]);
      } else if (run.a_whole) {
        const T vb = rb[0];
        for (int64_t i = 0; i < len; ++i) ro[i] = fn(ra[i], vb);
      } else if (run.b_whole) {
        const T va = ra[0];
        for (int64_t i = 0; i < len; ++i) ro[i] = fn(va, rb[i]);
      } else {
        const T v = fn(ra[0], rb[0]);
        for (int64_t i = 0; i < len; ++i) ro[i] = v;
      }
    }
  });
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
    pool_ = setup.pool;
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
      if (clamp_) {
        // Fused with the Relu / Clip that followed (a residual Add): one pass, not two.
        // Compared in T for floating types (a vectorisable select; NaN passes, as in the fused
        // Conv), in double for integers (bounds such as +-inf).
        const double lo = clamp_->first, hi = clamp_->second;
        const T lo_t = static_cast<T>(std::is_floating_point_v<T> ? lo : 0);
        const T hi_t = static_cast<T>(std::is_floating_point_v<T> ? hi : 0);
        auto clamped = [&](T x, T y) {
          T v = fn_(x, y);
          if constexpr (std::is_floating_point_v<T>) {
            v = v < lo_t ? lo_t : v;
            return v > hi_t ? hi_t : v;
          } else {
            if (static_cast<double>(v) < lo) v = static_cast<T>(lo);
            if (static_cast<double>(v) > hi) v = static_cast<T>(hi);
            return v;
          }
        };
        PIXLAKE_ASSIGN_OR_RETURN(outputs[0], broadcast_binary<T>(a, b, clamped, pool_));
      } else {
        PIXLAKE_ASSIGN_OR_RETURN(outputs[0], broadcast_binary<T>(a, b, fn_, pool_));
      }
      return Status::ok();
    });
  }

  // Functors with `kFusesClamp` (Add) take the clamp of a following Relu / Clip.
  std::unique_ptr<Op> fused_with_clamp(float lo, float hi) const override {
    if constexpr (requires { Fn::kFusesClamp; }) {
      auto fused = std::make_unique<BinaryOp>(*this);
      fused->clamp_ = std::make_pair(lo, hi);
      return fused;
    } else {
      return nullptr;
    }
  }

 private:
  Fn fn_;
  std::optional<std::pair<float, float>> clamp_;  // set on a copy fused with Relu / Clip
  ThreadPool* pool_ = nullptr;
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
