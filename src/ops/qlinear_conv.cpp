// QLinearConv: convolution of quantised x and w (1-D or 2-D, groups and depthwise included).
// The arithmetic is integer: acc = sum((x - x_zp) * (w - w_zp)) + B in int32, then
// y = saturate(round_half_even(acc * x_scale * w_scale / y_scale) + y_zp), with w_scale and w_zp
// per tensor or per output channel (the float formula of ONNX Runtime's MlasRequantize).
//
// Fast path: u8 x s8 integer kernels. Depthwise layers run kernels/u8s8_dwconv directly on the
// planes; every other layer is, per (batch item, group), one u8s8 GEMM W_g [M/g, K] x im2col
// [K, pixels] (kernels/u8s8_gemm; a 1x1 layer reads x in place) with the requantisation in its
// epilogue. Constant weights are shifted to s8 and packed once, in init(). The zero points are
// folded into per-channel offsets (see kernels/u8s8_gemm/gemm.h).
//
// Reference path (reference()): im2col + an exact integer GEMM on doubles
// (quant::exact_integer_gemm). It runs when the int32 accumulator of the kernels could overflow
// (K * 255 * 255 + |B| beyond int32, where the reference saturates through int64).
#include <algorithm>
#include <limits>
#include <memory>

#include "core/thread_pool.h"
#include "kernels/u8s8_dwconv/dwconv.h"
#include "kernels/u8s8_gemm/gemm.h"
#include "ops/op_util.h"
#include "ops/quant_util.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

enum class AutoPad { kNotSet, kValid, kSameUpper, kSameLower };

// Geometry of one spatial axis.
struct Axis {
  int64_t in = 1, kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0, out = 1;
};

// One filter per channel: the depthwise kernel's case.
bool is_depthwise(const Tensor& w, int64_t group) {
  return group > 1 && w.dim(0) == group && w.dim(1) == 1;
}

// w in the layout of the integer kernels, shifted to s8 (quant::weight_shift).
struct PackedWeights {
  DType dtype = DType::kUndefined;  // of the w it was made from, with its shape
  Shape shape;
  // Depthwise: the shifted w, [channels, taps]. Otherwise one u8s8_gemm_pack_weights block per
  // group.
  std::vector<int8_t> data;
  std::vector<int32_t> row_sums;  // sum of the shifted weights of each output channel
};

std::shared_ptr<const PackedWeights> pack_weights(const Tensor& w, int64_t group) {
  auto packed = std::make_shared<PackedWeights>();
  packed->dtype = w.dtype();
  packed->shape = w.shape();
  const int64_t maps = w.dim(0);
  const int64_t depth = maps > 0 ? w.numel() / maps : 0;
  std::vector<int8_t> s8 = quant::to_s8_weights(w);
  packed->row_sums.assign(static_cast<size_t>(maps), 0);
  if (is_depthwise(w, group)) {
    for (int64_t m = 0; m < maps; ++m) {
      int32_t sum = 0;
      for (int64_t k = 0; k < depth; ++k) sum += s8[static_cast<size_t>(m * depth + k)];
      packed->row_sums[static_cast<size_t>(m)] = sum;
    }
    packed->data = std::move(s8);
    return packed;
  }
  const int64_t group_maps = maps / group;
  const int64_t bytes = u8s8_gemm_packed_bytes(group_maps, depth);
  packed->data.resize(static_cast<size_t>(group * bytes));
  for (int64_t g = 0; g < group; ++g) {
    u8s8_gemm_pack_weights(s8.data() + g * group_maps * depth, group_maps, depth, depth,
                           packed->data.data() + g * bytes,
                           packed->row_sums.data() + g * group_maps);
  }
  return packed;
}

// The first output position whose tap `tap` reads at or after input position `edge`.
int64_t first_reading(const Axis& a, int64_t tap, int64_t edge) {
  const int64_t distance = edge + a.pad_begin - tap * a.dilation;
  if (distance <= 0) return 0;
  return std::min(a.out, (distance + a.stride - 1) / a.stride);
}
int64_t ow_first(const Axis& a, int64_t tap) { return first_reading(a, tap, 0); }
int64_t ow_last(const Axis& a, int64_t tap) {
  return std::max(ow_first(a, tap), first_reading(a, tap, a.in));
}

// Lays out the receptive fields of `channels` planes as a [channels*kh*kw, oh*ow] matrix; the
// padding reads `pad_value` (u8: the x zero point; the centred doubles of the reference: 0).
template <typename T>
void im2col_planes(const T* image, int64_t channels, const Axis& ah, const Axis& aw, T pad_value,
                   T* columns) {
  T* dst = columns;
  for (int64_t c = 0; c < channels; ++c) {
    const T* plane = image + c * ah.in * aw.in;
    for (int64_t kh = 0; kh < ah.kernel; ++kh) {
      for (int64_t kw = 0; kw < aw.kernel; ++kw) {
        for (int64_t oh = 0; oh < ah.out; ++oh) {
          const int64_t ih = oh * ah.stride - ah.pad_begin + kh * ah.dilation;
          if (ih < 0 || ih >= ah.in) {
            std::fill(dst, dst + aw.out, pad_value);
            dst += aw.out;
            continue;
          }
          const T* row = plane + ih * aw.in;
          const int64_t first = ow_first(aw, kw), last = ow_last(aw, kw);
          std::fill(dst, dst + first, pad_value);
          const T* src = row + first * aw.stride - aw.pad_begin + kw * aw.dilation;
          const int64_t count = last - first;
          if (aw.stride == 1) {
            std::copy(src, src + count, dst + first);
          } else if (aw.stride == 2) {  // the stem of MobileNets; a loop GCC vectorises
            for (int64_t i = 0; i < count; ++i) dst[first + i] = src[2 * i];
          } else {
            for (int64_t i = 0; i < count; ++i) dst[first + i] = src[i * aw.stride];
          }
          std::fill(dst + last, dst + aw.out, pad_value);
          dst += aw.out;
        }
      }
    }
  }
}

// The quantisation inputs, read and checked: x_scale .. y_zero_point and B.
struct QuantInputs {
  quant::QuantParams xq, wq, yq;
  std::vector<int32_t> bias;  // c_out values (0 without B)
  int64_t max_bias = 0;       // max |B|
};

// Reads and checks inputs 1, 2 and 4 .. 8 for an x of `x_dtype` and a w of `w_dtype` with
// `c_out` output channels.
Result<QuantInputs> read_quant_inputs(std::span<const Tensor* const> inputs, DType x_dtype,
                                      DType w_dtype, int64_t c_out) {
  QuantInputs q;
  PIXLAKE_ASSIGN_OR_RETURN(q.xq, quant::read_quant_params(inputs[1], inputs[2], "x", x_dtype));
  PIXLAKE_ASSIGN_OR_RETURN(q.wq, quant::read_quant_params(inputs[4], inputs[5], "w", w_dtype));
  PIXLAKE_ASSIGN_OR_RETURN(q.yq, quant::read_quant_params(inputs[6], inputs[7], "y", DType::kU8));
  PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(q.xq, "x_scale"));
  PIXLAKE_RETURN_IF_ERROR(quant::expect_per_tensor(q.yq, "y_scale"));
  if (!quant::is_quantized_8bit(q.yq.dtype)) return unsupported("y_zero_point must be u8 or i8");
  PIXLAKE_RETURN_IF_ERROR(quant::expect_count(q.wq, c_out, "w_scale"));
  const Tensor* bias = inputs.size() > 8 ? inputs[8] : nullptr;
  q.bias.assign(static_cast<size_t>(c_out), 0);
  if (bias != nullptr && bias->defined()) {
    PIXLAKE_RETURN_IF_ERROR(expect_dtype(bias, DType::kI32, "input B"));
    if (bias->numel() != c_out) {
      return invalid_argument("input B " + bias->describe() + " must hold " +
                              std::to_string(c_out) + " values");
    }
    q.bias = quant::to_int32(*bias);
  }
  for (int32_t b : q.bias) q.max_bias = std::max<int64_t>(q.max_bias, std::abs(int64_t{b}));
  return q;
}

// Per output channel, for the integer kernels: the requantisation scale, the weight zero point
// (shifted with w) and bias - xz * sum(w) + K * xz * wz (see kernels/u8s8_gemm/gemm.h).
struct RequantTables {
  std::vector<float> scale;
  std::vector<int32_t> w_zero, offset;
  bool any_w_zero = false;
  int32_t x_zero = 0;  // shifted with x (quant::activation_shift)
};

RequantTables make_tables(const QuantInputs& q, DType x_dtype, DType w_dtype,
                          const std::vector<int32_t>& row_sums, int64_t k_size) {
  RequantTables t;
  const auto c_out = static_cast<int64_t>(q.bias.size());
  t.x_zero = q.xq.zero_point[0] + quant::activation_shift(x_dtype);
  const int32_t w_shift = quant::weight_shift(w_dtype);
  t.scale.resize(static_cast<size_t>(c_out));
  t.w_zero.resize(static_cast<size_t>(c_out));
  t.offset.resize(static_cast<size_t>(c_out));
  for (int64_t m = 0; m < c_out; ++m) {
    const auto i = static_cast<size_t>(m);
    // In float as ONNX Runtime computes it.
    t.scale[i] = q.xq.scale[0] * q.wq.scale_at(m) / q.yq.scale[0];
    t.w_zero[i] = q.wq.zero_point_at(m) + w_shift;
    t.any_w_zero = t.any_w_zero || t.w_zero[i] != 0;
    // Wraps modulo 2^32 where the terms are large: the sum with the accumulator is exact.
    t.offset[i] = static_cast<int32_t>(
        static_cast<uint32_t>(int64_t{q.bias[i]} - int64_t{t.x_zero} * row_sums[i] +
                              k_size * int64_t{t.x_zero} * t.w_zero[i]));
  }
  return t;
}

// Everything run() has read and checked, for the fast path and the reference.
struct Problem {
  const Tensor* x = nullptr;
  const Tensor* w = nullptr;
  const QuantInputs* q = nullptr;
  Axis ah, aw;  // height (1 for a 1-D convolution) and width
  int64_t batch = 0, c_in = 0, c_out = 0, group = 1;
  Shape y_shape;

  int64_t cg_in() const { return c_in / group; }
  int64_t cg_out() const { return c_out / group; }
  int64_t k_size() const { return cg_in() * ah.kernel * aw.kernel; }  // GEMM depth
  int64_t n_pixels() const { return ah.out * aw.out; }                // GEMM width
  int64_t in_pixels() const { return ah.in * aw.in; }
  // Requantisation scale per output channel, in float as ONNX Runtime computes it.
  float out_scale(int64_t m) const { return q->xq.scale[0] * q->wq.scale_at(m) / q->yq.scale[0]; }
};

// One batch item of a depthwise layer, for kernels/u8s8_dwconv.
U8DwConvShape depthwise_shape(const Problem& p) {
  U8DwConvShape s;
  s.channels = p.c_in;
  s.in_h = p.ah.in;
  s.in_w = p.aw.in;
  s.kernel_h = p.ah.kernel;
  s.kernel_w = p.aw.kernel;
  s.stride_h = p.ah.stride;
  s.stride_w = p.aw.stride;
  s.dilation_h = p.ah.dilation;
  s.dilation_w = p.aw.dilation;
  s.pad_top = p.ah.pad_begin;
  s.pad_left = p.aw.pad_begin;
  s.out_h = p.ah.out;
  s.out_w = p.aw.out;
  return s;
}

// What init() can prepare from constant inputs: the packed weights, and with constant
// quantisation inputs those read and checked, with the per-channel tables.
struct Prepared {
  std::shared_ptr<const PackedWeights> weights;
  bool has_quant = false;
  DType x_dtype = DType::kUndefined;  // the x the tables were made for (x_zero_point's dtype)
  QuantInputs quant;
  RequantTables tables;
};

class QLinearConvOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    const Attributes& attrs = setup.attrs;
    pool_ = setup.pool;
    kernel_shape_ = attrs.get_ints("kernel_shape");
    strides_ = attrs.get_ints("strides");
    pads_ = attrs.get_ints("pads");
    dilations_ = attrs.get_ints("dilations");
    group_ = attrs.get_int("group", 1);
    if (group_ < 1) return invalid_argument("group=" + std::to_string(group_) + " must be >= 1");
    std::string auto_pad = attrs.get_string("auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") {
      auto_pad_ = AutoPad::kNotSet;
    } else if (auto_pad == "VALID") {
      auto_pad_ = AutoPad::kValid;
    } else if (auto_pad == "SAME_UPPER") {
      auto_pad_ = AutoPad::kSameUpper;
    } else if (auto_pad == "SAME_LOWER") {
      auto_pad_ = AutoPad::kSameLower;
    } else {
      return unsupported("auto_pad=" + auto_pad + " is not supported");
    }
    // Constant weights are packed once, here (run() checks that it gets the same dtype and
    // shape, and checks the shape against x).
    const Tensor* w = setup.constants.size() > 3 ? setup.constants[3] : nullptr;
    if (w != nullptr && quant::is_quantized_8bit(w->dtype()) &&
        (w->rank() == 3 || w->rank() == 4) && w->dim(0) > 0 && w->dim(0) % group_ == 0) {
      auto prepared = std::make_shared<Prepared>();
      prepared->weights = pack_weights(*w, group_);
      // Constant scales, zero points and B (the x zero point's dtype standing for x's): read,
      // checked and turned into the per-channel tables once. Any error is left for run().
      const auto& k = setup.constants;
      auto present = [&](size_t i) { return i < k.size() && k[i] != nullptr; };
      const bool constant = present(1) && present(2) && present(4) && present(5) && present(6) &&
                            present(7) && (setup.n_inputs <= 8 || present(8));
      if (constant && quant::is_quantized_8bit(k[2]->dtype())) {
        std::vector<const Tensor*> quant_inputs(k.begin(), k.end());
        auto q = read_quant_inputs(quant_inputs, k[2]->dtype(), w->dtype(), w->dim(0));
        if (q.is_ok()) {
          const int64_t k_size = w->numel() / w->dim(0);
          prepared->has_quant = true;
          prepared->x_dtype = k[2]->dtype();
          prepared->quant = std::move(*q);
          prepared->tables = make_tables(prepared->quant, prepared->x_dtype, w->dtype(),
                                         prepared->weights->row_sums, k_size);
        }
      }
      prepared_ = std::move(prepared);
    }
    return Status::ok();
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    if (inputs.size() < 8) return invalid_argument("QLinearConv needs at least 8 inputs");
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[0], "input x"));
    PIXLAKE_RETURN_IF_ERROR(quant::expect_quantized_8bit(inputs[3], "input w"));
    Problem p;
    p.x = inputs[0];
    p.w = inputs[3];
    const Tensor& x = *p.x;
    const Tensor& w = *p.w;
    // The prepared weights and tables hold for this w and this x dtype.
    const Prepared* prepared = prepared_.get();
    if (prepared != nullptr &&
        (prepared->weights->dtype != w.dtype() || prepared->weights->shape != w.shape())) {
      prepared = nullptr;
    }
    const bool prepared_quant =
        prepared != nullptr && prepared->has_quant && prepared->x_dtype == x.dtype();
    QuantInputs read_quant;
    if (!prepared_quant) {
      PIXLAKE_ASSIGN_OR_RETURN(read_quant,
                               read_quant_inputs(inputs, x.dtype(), w.dtype(), w.dim(0)));
    }
    p.q = prepared_quant ? &prepared->quant : &read_quant;

    if (x.rank() != 3 && x.rank() != 4) {
      return unsupported("input x must be 1-D or 2-D images [N,C,L] or [N,C,H,W], got " +
                         x.describe());
    }
    if (w.rank() != x.rank()) {
      return invalid_argument("input w " + w.describe() + " must have the rank of x " +
                              x.describe());
    }
    p.group = group_;
    p.batch = x.dim(0);
    p.c_in = x.dim(1);
    p.c_out = w.dim(0);
    if (p.c_in % group_ != 0 || p.c_out % group_ != 0 || w.dim(1) * group_ != p.c_in) {
      return invalid_argument("input w " + w.describe() + " does not fit x " + x.describe() +
                              " with group=" + std::to_string(group_));
    }

    // Spatial geometry; a 1-D convolution is a 2-D one with height 1.
    const int64_t n_spatial = x.rank() - 2;
    Axis axes[2];
    PIXLAKE_RETURN_IF_ERROR(geometry(x, w, n_spatial, axes));
    p.ah = axes[0];
    p.aw = axes[1];
    p.y_shape = {p.batch, p.c_out};
    if (n_spatial == 2) p.y_shape.push_back(p.ah.out);
    p.y_shape.push_back(p.aw.out);

    // The kernels' int32 accumulator is exact while |acc| <= K * 255 * 255 + |B| fits. Where the
    // kernel for this layer is only its scalar reference loop (no AVX-512 VNNI, or VBMI for the
    // depthwise one, or a depthwise window other than 3x3 with stride 1 or 2), the double GEMM on
    // BLAS is faster (same bits), so the layer takes the reference path.
    const bool scalar_kernel = is_depthwise(w, group_)
                                   ? u8s8_dwconv(depthwise_shape(p)) == &u8s8_dwconv__ref
                                   : u8s8_gemm() == &u8s8_gemm__ref;
    if (scalar_kernel ||
        p.k_size() * 255 * 255 + p.q->max_bias > std::numeric_limits<int32_t>::max()) {
      outputs[0] = reference(p);
      return Status::ok();
    }
    outputs[0] = run_integer(p, prepared, prepared_quant);
    return Status::ok();
  }

 private:
  // The u8s8 kernels (see the file comment), with what init() prepared when it holds.
  Tensor run_integer(const Problem& p, const Prepared* prepared, bool prepared_quant) const {
    const Tensor& x = *p.x;
    const Tensor& w = *p.w;
    std::shared_ptr<const PackedWeights> packed =
        prepared != nullptr ? prepared->weights : pack_weights(w, p.group);
    RequantTables made;
    if (!prepared_quant)
      made = make_tables(*p.q, x.dtype(), w.dtype(), packed->row_sums, p.k_size());
    const RequantTables& t = prepared_quant ? prepared->tables : made;
    // Activations as u8 (an i8 x is shifted, zero point included).
    std::vector<uint8_t> x_shifted;
    const uint8_t* x_u8 = static_cast<const uint8_t*>(x.raw());
    if (x.dtype() == DType::kI8) {
      x_shifted.resize(static_cast<size_t>(x.numel()));
      quant::i8_to_u8_activations(x, x_shifted.data());
      x_u8 = x_shifted.data();
    }
    const quant::QuantParams& yq = p.q->yq;
    U8S8Requant rq;
    rq.row_offset = t.offset.data();
    rq.row_w_zero = t.any_w_zero ? t.w_zero.data() : nullptr;
    rq.row_scale = t.scale.data();
    rq.y_zero_point = yq.zero_point[0];
    rq.y_min = quant::min_value(yq.dtype);
    rq.y_max = quant::max_value(yq.dtype);
    const int32_t x_zero = t.x_zero;

    Tensor y = Tensor::uninitialized(yq.dtype, p.y_shape);
    auto* y_u8 = static_cast<uint8_t*>(y.raw());
    if (is_depthwise(w, p.group)) {
      depthwise(p, x_u8, static_cast<uint8_t>(x_zero), packed->data.data(), rq, y_u8);
    } else {
      gemm(p, x_u8, static_cast<uint8_t>(x_zero), packed->data.data(), rq, y_u8);
    }
    return y;
  }

  void depthwise(const Problem& p, const uint8_t* x, uint8_t x_zero, const int8_t* w,
                 const U8S8Requant& rq, uint8_t* y) const {
    const U8DwConvShape s = depthwise_shape(p);
    const U8S8DwConvFn kernel = u8s8_dwconv(s);
    const auto scratch_bytes = static_cast<size_t>(u8s8_dwconv_scratch_bytes(s));
    const int64_t taps = s.kernel_h * s.kernel_w;
    // Channels are independent: with a pool, each piece is one image's block of channels.
    const int64_t blocks =
        pool_ == nullptr ? 1 : std::clamp<int64_t>(s.channels / 16, 1, pool_->size());
    const int64_t per = (s.channels + blocks - 1) / blocks;
    auto piece = [&](int64_t index) {
      const int64_t n = index / blocks;
      const int64_t first = (index % blocks) * per;
      const int64_t count = std::min(per, s.channels - first);
      if (count <= 0) return;
      thread_local std::vector<uint8_t> scratch;  // the running thread's own
      if (scratch.size() < scratch_bytes) scratch.resize(scratch_bytes);
      U8DwConvShape part = s;
      part.channels = count;
      U8S8Requant part_rq = rq;
      part_rq.row_offset += first;
      part_rq.row_scale += first;
      if (part_rq.row_w_zero != nullptr) part_rq.row_w_zero += first;
      kernel(part, x + (n * s.channels + first) * p.in_pixels(), x_zero, w + first * taps, part_rq,
             scratch.data(), y + (n * s.channels + first) * p.n_pixels());
    };
    if (pool_ != nullptr && p.batch * blocks > 1) {
      pool_->run(p.batch * blocks, piece);
    } else {
      for (int64_t index = 0; index < p.batch * blocks; ++index) piece(index);
    }
  }

  void gemm(const Problem& p, const uint8_t* x, uint8_t x_zero, const int8_t* packed_w,
            const U8S8Requant& rq, uint8_t* y) const {
    const int64_t cg_in = p.cg_in();
    const int64_t cg_out = p.cg_out();
    const int64_t k_size = p.k_size();
    const int64_t n_pixels = p.n_pixels();
    const int64_t packed_bytes = u8s8_gemm_packed_bytes(cg_out, k_size);
    auto is_identity = [](const Axis& a) {
      return a.kernel == 1 && a.stride == 1 && a.pad_begin == 0 && a.pad_end == 0;
    };
    // A 1x1 kernel with unit stride and no padding (most MobileNet layers) reads x in place.
    const bool pointwise = is_identity(p.ah) && is_identity(p.aw);
    thread_local std::vector<uint8_t> columns;
    if (!pointwise)
      columns.resize(std::max(columns.size(), static_cast<size_t>(k_size * n_pixels)));
    const U8S8GemmFn kernel = u8s8_gemm();
    const U8S8GemmShape shape{cg_out, n_pixels, k_size, n_pixels, n_pixels};
    const auto scratch_bytes = static_cast<size_t>(u8s8_gemm_scratch_bytes(shape));
    // With a pool, each thread takes a block of whole 48-column panels.
    constexpr int64_t kPanel = 48;
    const int64_t panels = (n_pixels + kPanel - 1) / kPanel;
    const int64_t blocks = pool_ == nullptr ? 1 : std::clamp<int64_t>(panels / 2, 1, pool_->size());
    const int64_t per = (panels + blocks - 1) / blocks * kPanel;
    for (int64_t n = 0; n < p.batch; ++n) {
      for (int64_t g = 0; g < p.group; ++g) {
        const uint8_t* image = x + (n * p.c_in + g * cg_in) * p.in_pixels();
        const uint8_t* cols = image;
        if (!pointwise) {
          im2col_planes<uint8_t>(image, cg_in, p.ah, p.aw, x_zero, columns.data());
          cols = columns.data();
        }
        U8S8Requant group_rq = rq;
        group_rq.row_offset += g * cg_out;
        group_rq.row_scale += g * cg_out;
        if (group_rq.row_w_zero != nullptr) group_rq.row_w_zero += g * cg_out;
        uint8_t* y_group = y + (n * p.c_out + g * cg_out) * n_pixels;
        const int8_t* w_group = packed_w + g * packed_bytes;
        auto block = [&](int64_t index) {
          const int64_t first = index * per;
          const int64_t count = std::min(per, n_pixels - first);
          if (count <= 0) return;
          thread_local std::vector<uint8_t> scratch;  // the running thread's own
          if (scratch.size() < scratch_bytes) scratch.resize(scratch_bytes);
          U8S8GemmShape part = shape;
          part.n = count;
          kernel(part, w_group, cols + first, group_rq, scratch.data(), y_group + first);
        };
        if (blocks > 1) {
          pool_->run(blocks, block);
        } else {
          block(0);
        }
      }
    }
  }

  // im2col + the exact double GEMM, accumulating through int64 (saturating, not wrapping, past
  // int32). The obviously right path, and the one for accumulators the kernels cannot hold.
  static Tensor reference(const Problem& p) {
    const Tensor& x = *p.x;
    const Tensor& w = *p.w;
    const int64_t cg_in = p.cg_in();
    const int64_t cg_out = p.cg_out();
    const int64_t k_size = p.k_size();
    const int64_t n_pixels = p.n_pixels();
    const int64_t in_pixels = p.in_pixels();

    // Centred inputs: (x - x_zp) and (w - w_zp[channel]), exact in double.
    std::vector<int32_t> x_values = quant::to_int32(x);
    std::vector<double> x_centred(x_values.size());
    for (size_t i = 0; i < x_values.size(); ++i) x_centred[i] = x_values[i] - p.q->xq.zero_point[0];
    std::vector<int32_t> w_values = quant::to_int32(w);
    std::vector<double> w_centred(w_values.size());
    for (int64_t m = 0; m < p.c_out; ++m) {
      for (int64_t k = 0; k < k_size; ++k) {
        size_t i = static_cast<size_t>(m * k_size + k);
        w_centred[i] = w_values[i] - p.q->wq.zero_point_at(m);
      }
    }
    std::vector<int32_t> y_values(static_cast<size_t>(shape_numel(p.y_shape)));
    auto is_identity = [](const Axis& a) {
      return a.kernel == 1 && a.stride == 1 && a.pad_begin == 0 && a.pad_end == 0;
    };
    const bool pointwise = is_identity(p.ah) && is_identity(p.aw);
    std::vector<double> columns(pointwise ? 0 : static_cast<size_t>(k_size * n_pixels));
    std::vector<double> acc(static_cast<size_t>(cg_out * n_pixels));

    for (int64_t n = 0; n < p.batch; ++n) {
      for (int64_t g = 0; g < p.group; ++g) {
        const double* image = x_centred.data() + (n * p.c_in + g * cg_in) * in_pixels;
        const double* cols = image;
        if (!pointwise) {
          im2col_planes<double>(image, cg_in, p.ah, p.aw, 0.0, columns.data());
          cols = columns.data();
        }
        const double* weights = w_centred.data() + g * cg_out * k_size;
        quant::exact_integer_gemm(cg_out, n_pixels, k_size, weights, cols, acc.data());
        for (int64_t mg = 0; mg < cg_out; ++mg) {
          const int64_t m = g * cg_out + mg;
          const float scale = p.out_scale(m);
          int32_t* dst = y_values.data() + (n * p.c_out + m) * n_pixels;
          const double* src = acc.data() + mg * n_pixels;
          for (int64_t pixel = 0; pixel < n_pixels; ++pixel) {
            // int64: an accumulator beyond int32 (K > ~33000) saturates instead of wrapping.
            const int64_t sum =
                static_cast<int64_t>(src[pixel]) + p.q->bias[static_cast<size_t>(m)];
            dst[pixel] = quant::quantize_value(static_cast<float>(sum) * scale,
                                               p.q->yq.zero_point[0], p.q->yq.dtype);
          }
        }
      }
    }
    return quant::from_int32(p.q->yq.dtype, p.y_shape, y_values);
  }
  // Fills axes[0] (height) and axes[1] (width) from the attributes and the input shapes.
  Status geometry(const Tensor& x, const Tensor& w, int64_t n_spatial, Axis* axes) const {
    auto check_size = [&](const std::vector<int64_t>& v, size_t n, const char* name) -> Status {
      if (!v.empty() && v.size() != n) {
        return invalid_argument(std::string(name) + " has " + std::to_string(v.size()) +
                                " values, expected " + std::to_string(n));
      }
      return Status::ok();
    };
    size_t ns = static_cast<size_t>(n_spatial);
    PIXLAKE_RETURN_IF_ERROR(check_size(kernel_shape_, ns, "kernel_shape"));
    PIXLAKE_RETURN_IF_ERROR(check_size(strides_, ns, "strides"));
    PIXLAKE_RETURN_IF_ERROR(check_size(dilations_, ns, "dilations"));
    PIXLAKE_RETURN_IF_ERROR(check_size(pads_, 2 * ns, "pads"));
    const int64_t first = 2 - n_spatial;  // a 1-D convolution fills only the width axis
    for (size_t d = 0; d < ns; ++d) {
      Axis& a = axes[static_cast<size_t>(first) + d];
      a.in = x.dim(2 + static_cast<int64_t>(d));
      a.kernel = w.dim(2 + static_cast<int64_t>(d));
      if (!kernel_shape_.empty() && kernel_shape_[d] != a.kernel) {
        return invalid_argument("kernel_shape does not match input w " + w.describe());
      }
      a.stride = strides_.empty() ? 1 : strides_[d];
      a.dilation = dilations_.empty() ? 1 : dilations_[d];
      if (a.stride < 1 || a.dilation < 1) {
        return invalid_argument("strides and dilations must be >= 1");
      }
      const int64_t extent = a.dilation * (a.kernel - 1) + 1;
      if (auto_pad_ == AutoPad::kNotSet) {
        a.pad_begin = pads_.empty() ? 0 : pads_[d];
        a.pad_end = pads_.empty() ? 0 : pads_[d + ns];
      } else if (auto_pad_ == AutoPad::kSameUpper || auto_pad_ == AutoPad::kSameLower) {
        const int64_t out = (a.in + a.stride - 1) / a.stride;
        const int64_t total = std::max<int64_t>(0, (out - 1) * a.stride + extent - a.in);
        a.pad_begin = auto_pad_ == AutoPad::kSameUpper ? total / 2 : total - total / 2;
        a.pad_end = total - a.pad_begin;
      }
      if (a.pad_begin < 0 || a.pad_end < 0) return invalid_argument("pads must be >= 0");
      const int64_t span = a.in + a.pad_begin + a.pad_end - extent;
      if (span < 0) {
        return invalid_argument("kernel " + w.describe() + " is larger than the padded input " +
                                x.describe());
      }
      a.out = span / a.stride + 1;
    }
    return Status::ok();
  }

  std::vector<int64_t> kernel_shape_, strides_, pads_, dilations_;
  int64_t group_ = 1;
  AutoPad auto_pad_ = AutoPad::kNotSet;
  ThreadPool* pool_ = nullptr;                // the engine's, or null
  std::shared_ptr<const Prepared> prepared_;  // from constant inputs, made in init()
};

}  // namespace

std::unique_ptr<Op> make_op_QLinearConv() { return std::make_unique<QLinearConvOp>(); }

}  // namespace pixlake
