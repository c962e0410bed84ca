#include "core/thread_pool.h"
#include "op_test_util.h"
#include "ops/quant_util.h"
#include "quant_test_util.h"

namespace pixlake::testing {
namespace {

struct ConvCase {
  int64_t batch = 1, c_in = 3, height = 7, width = 5, c_out = 4, kh = 3, kw = 3;
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1, group = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  DType x_dtype = DType::kU8, w_dtype = DType::kI8, y_dtype = DType::kU8;
  bool per_channel = true;
  bool with_bias = true;
  bool one_d = false;  // height and kh must then be 1
  float y_scale = 0.05f;
};

struct ConvInputs {
  std::vector<Tensor> tensors;
  std::vector<float> w_scales;
  std::vector<int32_t> w_zps;
  float x_scale = 0.02f;
  int32_t x_zp = 0, y_zp = 0;
};

ConvInputs make_inputs(const ConvCase& c, uint32_t seed) {
  ConvInputs in;
  Shape x_shape =
      c.one_d ? Shape{c.batch, c.c_in, c.width} : Shape{c.batch, c.c_in, c.height, c.width};
  Shape w_shape = c.one_d ? Shape{c.c_out, c.c_in / c.group, c.kw}
                          : Shape{c.c_out, c.c_in / c.group, c.kh, c.kw};
  in.x_zp = c.x_dtype == DType::kU8 ? 117 : -9;
  in.y_zp = c.y_dtype == DType::kU8 ? 131 : 5;
  const int64_t n_w = c.per_channel ? c.c_out : 1;
  for (int64_t m = 0; m < n_w; ++m) {
    in.w_scales.push_back(0.003f + 0.0007f * static_cast<float>(m));
    in.w_zps.push_back(c.w_dtype == DType::kU8 ? 120 + static_cast<int32_t>(m) % 7
                                               : static_cast<int32_t>(m % 5) - 2);
  }
  Tensor bias;
  if (c.with_bias) {
    std::vector<int32_t> b;
    for (int64_t m = 0; m < c.c_out; ++m)
      b.push_back(static_cast<int32_t>((m * 7919) % 4001) - 2000);
    bias = Tensor::from_vector<int32_t>({c.c_out}, b);
  }
  in.tensors = {random_quantized(c.x_dtype, x_shape, seed),
                Tensor::scalar<float>(in.x_scale),
                zero_point_tensor(c.x_dtype, {in.x_zp}),
                random_quantized(c.w_dtype, w_shape, seed + 1),
                scale_tensor(in.w_scales),
                zero_point_tensor(c.w_dtype, in.w_zps),
                Tensor::scalar<float>(c.y_scale),
                zero_point_tensor(c.y_dtype, {in.y_zp}),
                bias};
  return in;
}

// Dequantise -> float convolution in double -> quantise, one output element at a time.
std::vector<int32_t> reference_conv(const ConvCase& c, const ConvInputs& in, Shape* y_shape) {
  const int64_t out_h =
      (c.height + c.pad_top + c.pad_bottom - c.dil_h * (c.kh - 1) - 1) / c.stride_h + 1;
  const int64_t out_w =
      (c.width + c.pad_left + c.pad_right - c.dil_w * (c.kw - 1) - 1) / c.stride_w + 1;
  *y_shape = c.one_d ? Shape{c.batch, c.c_out, out_w} : Shape{c.batch, c.c_out, out_h, out_w};
  std::vector<int64_t> x = in.tensors[0].to_ints();
  std::vector<int64_t> w = in.tensors[3].to_ints();
  const int64_t cg_in = c.c_in / c.group;
  const int64_t cg_out = c.c_out / c.group;
  std::vector<int32_t> y;
  for (int64_t n = 0; n < c.batch; ++n) {
    for (int64_t m = 0; m < c.c_out; ++m) {
      const size_t wi = c.per_channel ? static_cast<size_t>(m) : 0;
      const double w_scale = in.w_scales[wi];
      const int64_t g = m / cg_out;
      for (int64_t oh = 0; oh < out_h; ++oh) {
        for (int64_t ow = 0; ow < out_w; ++ow) {
          double sum = 0;
          for (int64_t ci = 0; ci < cg_in; ++ci) {
            for (int64_t ky = 0; ky < c.kh; ++ky) {
              for (int64_t kx = 0; kx < c.kw; ++kx) {
                const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
                const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
                if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
                const int64_t channel = g * cg_in + ci;
                const double xv = (x[static_cast<size_t>(
                                       ((n * c.c_in + channel) * c.height + ih) * c.width + iw)] -
                                   in.x_zp) *
                                  static_cast<double>(in.x_scale);
                const double wv =
                    (w[static_cast<size_t>(((m * cg_in + ci) * c.kh + ky) * c.kw + kx)] -
                     in.w_zps[wi]) *
                    w_scale;
                sum += xv * wv;
              }
            }
          }
          if (c.with_bias) {
            sum += in.tensors[8].data<int32_t>()[m] * static_cast<double>(in.x_scale) * w_scale;
          }
          y.push_back(reference_quantize(sum, c.y_scale, in.y_zp, c.y_dtype));
        }
      }
    }
  }
  return y;
}

// The operator's arithmetic written out: the exact sum of (x - x_zp) * (w - w_zp) + B in int64,
// then saturate(round_half_even(float(acc) * (x_scale * w_scale / y_scale)) + y_zp) in float as
// ONNX Runtime computes it. Every path (integer kernels, reference) must match it bit for bit.
std::vector<int32_t> exact_conv(const ConvCase& c, const ConvInputs& in) {
  const int64_t out_h =
      (c.height + c.pad_top + c.pad_bottom - c.dil_h * (c.kh - 1) - 1) / c.stride_h + 1;
  const int64_t out_w =
      (c.width + c.pad_left + c.pad_right - c.dil_w * (c.kw - 1) - 1) / c.stride_w + 1;
  std::vector<int64_t> x = in.tensors[0].to_ints();
  std::vector<int64_t> w = in.tensors[3].to_ints();
  const int64_t cg_in = c.c_in / c.group;
  const int64_t cg_out = c.c_out / c.group;
  std::vector<int32_t> y;
  for (int64_t n = 0; n < c.batch; ++n) {
    for (int64_t m = 0; m < c.c_out; ++m) {
      const size_t wi = c.per_channel ? static_cast<size_t>(m) : 0;
      const float scale = in.x_scale * in.w_scales[wi] / c.y_scale;
      const int64_t g = m / cg_out;
      for (int64_t oh = 0; oh < out_h; ++oh) {
        for (int64_t ow = 0; ow < out_w; ++ow) {
          int64_t acc = c.with_bias ? in.tensors[8].data<int32_t>()[m] : 0;
          for (int64_t ci = 0; ci < cg_in; ++ci) {
            for (int64_t ky = 0; ky < c.kh; ++ky) {
              for (int64_t kx = 0; kx < c.kw; ++kx) {
                const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
                const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
                if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
                const int64_t channel = g * cg_in + ci;
                acc += (x[static_cast<size_t>(((n * c.c_in + channel) * c.height + ih) * c.width +
                                              iw)] -
                        in.x_zp) *
                       (w[static_cast<size_t>(((m * cg_in + ci) * c.kh + ky) * c.kw + kx)] -
                        in.w_zps[wi]);
              }
            }
          }
          y.push_back(quant::quantize_value(static_cast<float>(acc) * scale, in.y_zp, c.y_dtype));
        }
      }
    }
  }
  return y;
}

Attributes conv_attrs(const ConvCase& c) {
  Attributes attrs;
  if (c.one_d) {
    attrs.set("kernel_shape", std::vector<int64_t>{c.kw});
    attrs.set("strides", std::vector<int64_t>{c.stride_w});
    attrs.set("dilations", std::vector<int64_t>{c.dil_w});
    attrs.set("pads", std::vector<int64_t>{c.pad_left, c.pad_right});
  } else {
    attrs.set("kernel_shape", std::vector<int64_t>{c.kh, c.kw});
    attrs.set("strides", std::vector<int64_t>{c.stride_h, c.stride_w});
    attrs.set("dilations", std::vector<int64_t>{c.dil_h, c.dil_w});
    attrs.set("pads", std::vector<int64_t>{c.pad_top, c.pad_left, c.pad_bottom, c.pad_right});
  }
  attrs.set("group", c.group);
  return attrs;
}

// Runs QLinearConv with no input known at init (the weights are then packed by run()), or
// with every input constant and the engine's thread pool `pool`.
Result<Tensor> run_with_setup(const ConvCase& c, const ConvInputs& in, bool constants,
                              ThreadPool* pool) {
  std::unique_ptr<Op> op = make_op(*op_type_from_name("QLinearConv"));
  OpSetup setup;
  setup.op_type = "QLinearConv";
  setup.opset = 13;
  setup.attrs = conv_attrs(c);
  setup.n_inputs = in.tensors.size();
  setup.n_outputs = 1;
  setup.pool = pool;
  for (const Tensor& t : in.tensors) {
    setup.constants.push_back(constants && t.defined() ? &t : nullptr);
  }
  PIXLAKE_RETURN_IF_ERROR(op->init(setup));
  std::vector<const Tensor*> inputs;
  for (const Tensor& t : in.tensors) inputs.push_back(t.defined() ? &t : nullptr);
  std::vector<Tensor> out(1);
  PIXLAKE_RETURN_IF_ERROR(op->run(inputs, out));
  return out[0];
}

void expect_same_values(const Tensor& y, const std::vector<int32_t>& want, const char* what) {
  std::vector<int64_t> got = y.to_ints();
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << what << ": element " << i;
  }
}

// Checks the operator against the double reference (within one step at ties) and bit for bit
// against exact_conv, with the weights packed at init (constant) and at run time.
void check_conv(const ConvCase& c, uint32_t seed = 1) {
  ConvInputs in = make_inputs(c, seed);
  OpRun run{.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = in.tensors};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  Shape y_shape;
  std::vector<int32_t> expected = reference_conv(c, in, &y_shape);
  const Tensor& y = out.value()[0];
  EXPECT_EQ(y.dtype(), c.y_dtype);
  ASSERT_EQ(shape_to_string(y.shape()), shape_to_string(y_shape));
  expect_quantized_near(y, expected);
  const std::vector<int32_t> exact = exact_conv(c, in);
  expect_same_values(y, exact, "weights packed at init");
  auto dynamic = run_with_setup(c, in, false, nullptr);
  ASSERT_TRUE(dynamic.is_ok()) << dynamic.status().message();
  expect_same_values(*dynamic, exact, "weights packed at run time");
}

TEST(QLinearConv, PerChannelInt8WeightsWithBias) { check_conv({}); }

TEST(QLinearConv, PerTensorUint8WeightsNoBias) {
  check_conv({.w_dtype = DType::kU8, .per_channel = false, .with_bias = false});
}

TEST(QLinearConv, Int8ActivationsAndOutput) {
  check_conv({.x_dtype = DType::kI8, .y_dtype = DType::kI8});
}

TEST(QLinearConv, PadsStridesDilationsAwkwardSizes) {
  check_conv({.batch = 2,
              .c_in = 3,
              .height = 17,
              .width = 13,
              .c_out = 5,
              .kh = 3,
              .kw = 2,
              .stride_h = 2,
              .stride_w = 3,
              .dil_h = 2,
              .dil_w = 1,
              .pad_top = 1,
              .pad_left = 2,
              .pad_bottom = 2,
              .pad_right = 0});
}

TEST(QLinearConv, GroupedConvolution) {
  check_conv({.c_in = 4,
              .height = 6,
              .width = 6,
              .c_out = 6,
              .group = 2,
              .pad_top = 1,
              .pad_left = 1,
              .pad_bottom = 1,
              .pad_right = 1});
}

TEST(QLinearConv, DepthwiseLikeMobileNet) {
  check_conv({.batch = 1,
              .c_in = 17,
              .height = 9,
              .width = 11,
              .c_out = 17,
              .stride_h = 2,
              .stride_w = 2,
              .group = 17,
              .pad_top = 1,
              .pad_left = 1,
              .pad_bottom = 1,
              .pad_right = 1});
}

TEST(QLinearConv, PointwiseLargeChannelCount) {
  check_conv({.c_in = 127, .height = 3, .width = 4, .c_out = 33, .kh = 1, .kw = 1});
}

TEST(QLinearConv, OneDimensional) {
  check_conv({.c_in = 2,
              .height = 1,
              .width = 17,
              .c_out = 3,
              .kh = 1,
              .kw = 3,
              .stride_w = 2,
              .pad_left = 1,
              .pad_right = 1,
              .one_d = true});
}

// Shapes of the integer kernels' edges: pixel counts that are not multiples of 16 or 48, output
// channels that are not multiples of 8, every zero-point dtype, depthwise with stride 2 and
// padding, groups, and the first MobileNet layer (3 channels, 3x3, stride 2).
TEST(QLinearConv, MatchesExactArithmeticOnAwkwardShapes) {
  check_conv({.batch = 2, .c_in = 17, .height = 7, .width = 7, .c_out = 127, .kh = 1, .kw = 1});
  check_conv({.c_in = 3, .height = 1, .width = 49, .c_out = 3, .kh = 1, .kw = 1});
  check_conv({.c_in = 127,
              .height = 4,
              .width = 25,
              .c_out = 17,
              .kh = 1,
              .kw = 1,
              .w_dtype = DType::kU8});
  check_conv({.c_in = 3,
              .height = 23,
              .width = 23,
              .c_out = 32,
              .stride_h = 2,
              .stride_w = 2,
              .pad_top = 1,
              .pad_left = 1,
              .pad_bottom = 1,
              .pad_right = 1});
  check_conv({.c_in = 6,
              .height = 9,
              .width = 10,
              .c_out = 9,
              .group = 3,
              .pad_top = 1,
              .pad_left = 1,
              .pad_bottom = 1,
              .pad_right = 1,
              .x_dtype = DType::kI8});
  for (int64_t stride : {1, 2}) {
    for (DType w_dtype : {DType::kI8, DType::kU8}) {
      check_conv({.batch = 2,
                  .c_in = 19,
                  .height = 17,
                  .width = 35,
                  .c_out = 19,
                  .stride_h = stride,
                  .stride_w = stride,
                  .group = 19,
                  .pad_top = 1,
                  .pad_left = 1,
                  .pad_bottom = 1,
                  .pad_right = 1,
                  .w_dtype = w_dtype});
    }
  }
  // Depthwise without padding, per-tensor weights, i8 in and out; 5x5 and dilated windows (the
  // reference depthwise kernel); a 1-D depthwise convolution.
  check_conv({.c_in = 5,
              .height = 14,
              .width = 14,
              .c_out = 5,
              .group = 5,
              .x_dtype = DType::kI8,
              .y_dtype = DType::kI8,
              .per_channel = false});
  check_conv({.c_in = 4,
              .height = 11,
              .width = 13,
              .c_out = 4,
              .kh = 5,
              .kw = 5,
              .group = 4,
              .pad_top = 2,
              .pad_left = 2,
              .pad_bottom = 2,
              .pad_right = 2});
  check_conv({.c_in = 4,
              .height = 11,
              .width = 13,
              .c_out = 4,
              .dil_h = 2,
              .dil_w = 2,
              .group = 4,
              .pad_top = 2,
              .pad_left = 2,
              .pad_bottom = 2,
              .pad_right = 2});
  check_conv({.c_in = 3,
              .height = 1,
              .width = 40,
              .c_out = 3,
              .kh = 1,
              .kw = 3,
              .stride_w = 2,
              .group = 3,
              .pad_left = 1,
              .pad_right = 1,
              .one_d = true});
}

// With the engine's pool, output columns (GEMM) or channels (depthwise) are split over the
// threads: the same bits.
TEST(QLinearConv, ThreadPoolGivesTheSameBits) {
  ThreadPool pool(2);
  for (const ConvCase& c :
       {ConvCase{.c_in = 24, .height = 28, .width = 28, .c_out = 40, .kh = 1, .kw = 1},
        ConvCase{.c_in = 48,
        .height = 29,
        .width = 27,
        .c_out = 48,
        .stride_h = 2,
        .stride_w = 2,
        .group = 48,
        .pad_top = 1,
        .pad_left = 1,
        .pad_bottom = 1,
        .pad_right = 1},
        ConvCase{.batch = 2,
        .c_in = 3,
        .height = 40,
        .width = 40,
        .c_out = 16,
        .stride_h = 2,
        .stride_w = 2,
        .pad_top = 1,
        .pad_left = 1,
        .pad_bottom = 1,
        .pad_right = 1}}) {
    ConvInputs in = make_inputs(c, 9);
    auto y = run_with_setup(c, in, true, &pool);
    ASSERT_TRUE(y.is_ok()) << y.status().message();
    expect_same_values(*y, exact_conv(c, in), "two threads");
  }
}

// K * 255 * 255 beyond int32: the integer kernels could overflow, so the double reference runs
// (and saturates through int64 like ONNX Runtime's int32-free path would not wrap).
TEST(QLinearConv, VeryDeepAccumulatorTakesTheReferencePath) {
  check_conv({.c_in = 3700, .height = 3, .width = 3, .c_out = 2, .y_scale = 20.0f});
}

TEST(QLinearConv, SaturatesAtBothEnds) {
  // A tiny output scale pushes almost every value to 0 or 255.
  ConvCase c{.y_scale = 1e-5f};
  ConvInputs in = make_inputs(c, 3);
  OpRun run{.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = in.tensors};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<int64_t> y = out.value()[0].to_ints();
  int saturated_low = 0, saturated_high = 0;
  for (int64_t v : y) {
    saturated_low += v == 0;
    saturated_high += v == 255;
  }
  EXPECT_GT(saturated_low, 0);
  EXPECT_GT(saturated_high, 0);
  Shape y_shape;
  expect_quantized_near(out.value()[0], reference_conv(c, in, &y_shape));
}

TEST(QLinearConv, HandComputedOneByOne) {
  // x = [10, 20] (zp 10, scale 1), w = [3] (zp 1, scale 0.5), B = 4, y_scale 1, y_zp 100:
  // acc = (x - 10) * 2 + 4 = [4, 24]; y = acc * 0.5 + 100 = [102, 112].
  std::vector<Tensor> inputs = {Tensor::from_vector<uint8_t>({1, 1, 1, 2}, {10, 20}),
                                Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(10),
                                Tensor::from_vector<int8_t>({1, 1, 1, 1}, {3}),
                                Tensor::scalar<float>(0.5f),
                                Tensor::scalar<int8_t>(1),
                                Tensor::scalar<float>(1.0f),
                                Tensor::scalar<uint8_t>(100),
                                Tensor::from_vector<int32_t>({1}, {4})};
  OpRun run{.op_type = "QLinearConv", .inputs = inputs};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out.value()[0].to_ints(), (std::vector<int64_t>{102, 112}));
}

TEST(QLinearConv, AutoPadSameUpperAndLower) {
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER"}) {
    // Input 5x5, kernel 2x2, stride 2: output 3x3, one padding row/column in total, at the end
    // (SAME_UPPER) or at the start (SAME_LOWER).
    ConvCase c{.c_in = 2,
               .height = 5,
               .width = 5,
               .c_out = 3,
               .kh = 2,
               .kw = 2,
               .stride_h = 2,
               .stride_w = 2};
    bool upper = std::string(mode) == "SAME_UPPER";
    ConvCase explicit_pads = c;
    (upper ? explicit_pads.pad_bottom : explicit_pads.pad_top) = 1;
    (upper ? explicit_pads.pad_right : explicit_pads.pad_left) = 1;
    ConvInputs in = make_inputs(c, 5);
    Attributes attrs;
    attrs.set("auto_pad", std::string(mode));
    attrs.set("strides", std::vector<int64_t>{2, 2});
    OpRun run{.op_type = "QLinearConv", .attrs = attrs, .inputs = in.tensors};
    auto out = run_op(run);
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    Shape y_shape;
    std::vector<int32_t> expected = reference_conv(explicit_pads, in, &y_shape);
    ASSERT_EQ(shape_to_string(out.value()[0].shape()), shape_to_string(y_shape)) << mode;
    expect_quantized_near(out.value()[0], expected);
  }
}

TEST(QLinearConv, EmptyBatch) { check_conv({.batch = 0}); }

TEST(QLinearConv, RefusesBadInputs) {
  ConvCase c;
  ConvInputs in = make_inputs(c, 1);
  {
    std::vector<Tensor> t = in.tensors;
    t[0] = Tensor(DType::kF32, {1, 3, 7, 5});
    auto out = run_op({.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = t});
    ASSERT_FALSE(out.is_ok());
    EXPECT_NE(out.status().message().find("input x must be u8 or i8"), std::string::npos);
  }
  {
    std::vector<Tensor> t = in.tensors;
    t[3] = random_quantized(DType::kI8, {4, 2, 3, 3}, 1);  // 2 input channels, x has 3
    EXPECT_FALSE(run_op({.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = t}).is_ok());
  }
  {
    std::vector<Tensor> t = in.tensors;
    t[4] = scale_tensor({1.0f, 1.0f});  // neither per tensor nor per output channel
    t[5] = zero_point_tensor(DType::kI8, {0, 0});
    EXPECT_FALSE(run_op({.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = t}).is_ok());
  }
  {
    std::vector<Tensor> t = in.tensors;
    t[8] = Tensor::from_vector<float>({4}, {0, 0, 0, 0});
    EXPECT_FALSE(run_op({.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = t}).is_ok());
  }
  {
    Attributes attrs;
    attrs.set("auto_pad", std::string("WRONG"));
    auto out = run_op({.op_type = "QLinearConv", .attrs = attrs, .inputs = in.tensors});
    ASSERT_FALSE(out.is_ok());
    EXPECT_NE(out.status().message().find("auto_pad"), std::string::npos);
  }
  {
    std::vector<Tensor> t = in.tensors;
    t[0] = random_quantized(DType::kU8, {1, 3, 2, 2}, 1);  // smaller than the 3x3 kernel
    EXPECT_FALSE(run_op({.op_type = "QLinearConv", .attrs = conv_attrs(c), .inputs = t}).is_ok());
  }
}

}  // namespace
}  // namespace pixlake::testing
