#include <algorithm>
#include <cmath>
#include <string>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

struct ConvCase {
  Shape x;  // [N, C, spatial...]
  int64_t maps;
  Shape kernel;
  Shape strides;
  Shape pads;  // begin..., end...
  Shape dilations;
  int64_t group = 1;
  std::string auto_pad = "NOTSET";
  bool bias = true;
};

// Pads of the ONNX spec for a given auto_pad (explicit pads for NOTSET).
void resolve_pads(const ConvCase& c, size_t d, int64_t in, int64_t& begin, int64_t& end,
                  int64_t& out) {
  const size_t rank = c.kernel.size();
  const int64_t extent = (c.kernel[d] - 1) * c.dilations[d] + 1;
  const int64_t s = c.strides[d];
  if (c.auto_pad == "NOTSET") {
    begin = c.pads[d];
    end = c.pads[d + rank];
    out = (in + begin + end - extent) / s + 1;
  } else if (c.auto_pad == "VALID") {
    begin = end = 0;
    out = (in - extent) / s + 1;
  } else {
    out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>(0, (out - 1) * s + extent - in);
    begin = c.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    end = total - begin;
  }
}

// The definition of convolution, one multiply-add at a time, on 3-D (padded) spatial shapes.
Tensor naive_conv(const ConvCase& c, const Tensor& x, const Tensor& w, const Tensor* b) {
  const size_t rank = c.kernel.size();
  Shape in3 = to_3d(Shape(c.x.begin() + 2, c.x.end()), 1);
  Shape k3 = to_3d(c.kernel, 1), s3 = to_3d(c.strides, 1), d3 = to_3d(c.dilations, 1);
  Shape pb3(3, 0), out3(3, 1), out_shape = {c.x[0], c.maps};
  for (size_t d = 0; d < rank; ++d) {
    int64_t begin, end, out;
    resolve_pads(c, d, c.x[2 + d], begin, end, out);
    pb3[3 - rank + d] = begin;
    out3[3 - rank + d] = out;
    out_shape.push_back(out);
  }
  Tensor y(DType::kF32, out_shape);
  const int64_t cg = c.x[1] / c.group, mg = c.maps / c.group;
  float* out = y.data<float>();
  for (int64_t n = 0; n < c.x[0]; ++n)
    for (int64_t m = 0; m < c.maps; ++m)
      for (int64_t o0 = 0; o0 < out3[0]; ++o0)
        for (int64_t o1 = 0; o1 < out3[1]; ++o1)
          for (int64_t o2 = 0; o2 < out3[2]; ++o2) {
            double sum = b ? b->data<float>()[m] : 0.0;
            const int64_t g = m / mg;
            for (int64_t ci = 0; ci < cg; ++ci)
              for (int64_t k0 = 0; k0 < k3[0]; ++k0)
                for (int64_t k1 = 0; k1 < k3[1]; ++k1)
                  for (int64_t k2 = 0; k2 < k3[2]; ++k2) {
                    int64_t i0 = o0 * s3[0] - pb3[0] + k0 * d3[0];
                    int64_t i1 = o1 * s3[1] - pb3[1] + k1 * d3[1];
                    int64_t i2 = o2 * s3[2] - pb3[2] + k2 * d3[2];
                    if (i0 < 0 || i0 >= in3[0] || i1 < 0 || i1 >= in3[1] || i2 < 0 || i2 >= in3[2])
                      continue;
                    int64_t c_in = g * cg + ci;
                    float xv = x.data<
                        float>()[(((n * c.x[1] + c_in) * in3[0] + i0) * in3[1] + i1) * in3[2] + i2];
                    float wv =
                        w.data<float>()[(((m * cg + ci) * k3[0] + k0) * k3[1] + k1) * k3[2] + k2];
                    sum += static_cast<double>(xv) * wv;
                  }
            *out++ = static_cast<float>(sum);
          }
  return y;
}

// scale_atol: an absolute tolerance of that fraction of the largest expected |value| (Winograd's
// error is relative to the outputs' scale, not to each output).
void check_against_naive(ConvCase c, bool write_kernel_shape = false, float scale_atol = 0.0f) {
  const size_t rank = c.kernel.size();
  if (c.strides.empty()) c.strides.assign(rank, 1);
  if (c.dilations.empty()) c.dilations.assign(rank, 1);
  if (c.pads.empty()) c.pads.assign(2 * rank, 0);
  Shape w_shape = {c.maps, c.x[1] / c.group};
  w_shape.insert(w_shape.end(), c.kernel.begin(), c.kernel.end());
  Tensor x = random_tensor(c.x, 1), w = random_tensor(w_shape, 2), b = random_tensor({c.maps}, 3);
  OpRun run{.op_type = "Conv", .inputs = {x, w}};
  if (c.bias) run.inputs.push_back(b);
  run.attrs.set("strides", c.strides);
  run.attrs.set("dilations", c.dilations);
  run.attrs.set("group", c.group);
  if (c.auto_pad == "NOTSET") {
    run.attrs.set("pads", c.pads);
  } else {
    run.attrs.set("auto_pad", c.auto_pad);
  }
  if (write_kernel_shape) run.attrs.set("kernel_shape", c.kernel);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const Tensor expected = naive_conv(c, x, w, c.bias ? &b : nullptr);
  float scale = 0.0f;
  for (float v : expected.to_floats()) scale = std::max(scale, std::abs(v));
  expect_close(out.value()[0], expected, 1e-4f, std::max(1e-5f, scale_atol * scale));
}

// ONNX spec example conv_with_strides_padding: 7x5 arange input, 3x3 ones, stride 2, pad 1.
TEST(Conv, SpecExampleStridesPadding) {
  std::vector<float> xs(35);
  for (int i = 0; i < 35; ++i) xs[i] = static_cast<float>(i);
  OpRun run{.op_type = "Conv",
            .inputs = {Tensor::from_vector<float>({1, 1, 7, 5}, xs),
                       Tensor::from_vector<float>({1, 1, 3, 3}, std::vector<float>(9, 1.0f))}};
  run.attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  run.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({1, 1, 4, 3},
                                          {12, 27, 24, 63, 108, 81, 123, 198, 141, 112, 177, 124}));
}

TEST(Conv, Conv1dDefaults) { check_against_naive({.x = {2, 3, 17}, .maps = 4, .kernel = {3}}); }

TEST(Conv, Conv1dStridePadDilation) {
  check_against_naive({.x = {1, 2, 17},
                       .maps = 3,
                       .kernel = {3},
                       .strides = {2},
                       .pads = {2, 1},
                       .dilations = {2}});
}

TEST(Conv, Conv2dNoBiasKernelShapeAttribute) {
  check_against_naive({.x = {2, 3, 9, 7}, .maps = 5, .kernel = {3, 2}, .bias = false}, true);
}

TEST(Conv, Conv2dAsymmetricPadsAndStrides) {
  check_against_naive(
      {.x = {1, 3, 17, 13}, .maps = 2, .kernel = {3, 5}, .strides = {2, 3}, .pads = {1, 0, 2, 3}});
}

// Wider than one 32-column panel of the GEMM, with panels that span several output rows
// (out width 5, 7) and rows taller than one 8-row tile: the panel gather's runs and tails.
TEST(Conv, Conv2dPanelsAcrossOutputRows) {
  check_against_naive({.x = {2, 4, 11, 7}, .maps = 19, .kernel = {3, 3}, .pads = {1, 1, 1, 1}});
  check_against_naive(
      {.x = {1, 3, 23, 10}, .maps = 9, .kernel = {3, 3}, .strides = {2, 2}, .pads = {0, 1, 2, 0}});
  check_against_naive({.x = {1, 2, 17, 19},
                       .maps = 3,
                       .kernel = {3, 2},
                       .strides = {1, 3},
                       .pads = {2, 2, 1, 1},
                       .dilations = {2, 3}});
  check_against_naive(
      {.x = {1, 3, 40, 40}, .maps = 17, .kernel = {7, 7}, .strides = {2, 2}, .pads = {3, 3, 3, 3}});
}

// 3x3 stride-1 layers with at least 16 output tiles of 4x4 take Winograd F(4x4, 3x3) (on
// AVX-512 CPUs): channels and maps off multiples of 16, maps not multiples of 4, asymmetric
// padding, a batch of two.
TEST(Conv, Conv2dWinogradShapes) {
  constexpr float kScaleAtol = 2e-6f;
  check_against_naive({.x = {1, 5, 20, 17}, .maps = 19, .kernel = {3, 3}, .pads = {1, 1, 1, 1}},
                      false, kScaleAtol);
  check_against_naive({.x = {2, 17, 15, 15}, .maps = 33, .kernel = {3, 3}}, false, kScaleAtol);
  check_against_naive({.x = {1, 3, 16, 30}, .maps = 1, .kernel = {3, 3}, .pads = {0, 2, 1, 0}},
                      false, kScaleAtol);
  check_against_naive(
      {.x = {1, 32, 14, 14}, .maps = 16, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .bias = false},
      false, kScaleAtol);
}

TEST(Conv, Conv2dGroups) {
  check_against_naive(
      {.x = {2, 4, 8, 8}, .maps = 6, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .group = 2});
}

TEST(Conv, Conv2dDepthwiseWithMultiplier) {
  check_against_naive({.x = {1, 3, 10, 11},
                       .maps = 6,
                       .kernel = {3, 3},
                       .strides = {2, 2},
                       .pads = {1, 1, 1, 1},
                       .group = 3});
}

TEST(Conv, Conv2dPointwiseSkipsIm2col) {
  check_against_naive({.x = {2, 5, 7, 3}, .maps = 4, .kernel = {1, 1}});
}

TEST(Conv, Conv2dOneByOneInput) {
  check_against_naive({.x = {1, 1, 1, 1}, .maps = 1, .kernel = {1, 1}});
}

TEST(Conv, Conv3dStridePaddingDilation) {
  check_against_naive({.x = {1, 2, 6, 7, 5},
                       .maps = 3,
                       .kernel = {2, 3, 2},
                       .strides = {2, 1, 2},
                       .pads = {1, 0, 1, 0, 2, 1},
                       .dilations = {1, 2, 1}});
}

TEST(Conv, Conv3dGroups) {
  check_against_naive({.x = {1, 4, 4, 5, 3}, .maps = 4, .kernel = {2, 2, 2}, .group = 2});
}

TEST(Conv, AutoPadSameUpper) {
  check_against_naive({.x = {1, 2, 7, 6},
                       .maps = 2,
                       .kernel = {4, 3},
                       .strides = {2, 2},
                       .auto_pad = "SAME_UPPER"});
}

TEST(Conv, AutoPadSameLower) {
  check_against_naive({.x = {1, 2, 7, 6},
                       .maps = 2,
                       .kernel = {4, 3},
                       .strides = {2, 2},
                       .auto_pad = "SAME_LOWER"});
}

TEST(Conv, AutoPadValid) {
  check_against_naive(
      {.x = {1, 2, 7, 6}, .maps = 2, .kernel = {3, 2}, .strides = {2, 3}, .auto_pad = "VALID"});
}

TEST(Conv, SameUpperKeepsSizeOverStride) {
  OpRun run{.op_type = "Conv",
            .inputs = {random_tensor({1, 1, 5, 5}, 1), random_tensor({1, 1, 3, 3}, 2)}};
  run.attrs.set("auto_pad", std::string("SAME_UPPER"));
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(shape_to_string(out.value()[0].shape()), "[1,1,3,3]");
}

// Zero input channels: the product is empty and Y is the bias alone.
TEST(Conv, EmptyChannelsGiveBias) {
  OpRun run{.op_type = "Conv",
            .inputs = {Tensor(DType::kF32, {1, 0, 3, 3}), Tensor(DType::kF32, {2, 0, 2, 2}),
                       Tensor::from_vector<float>({2}, {1, -1})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0],
               Tensor::from_vector<float>({1, 2, 2, 2}, {1, 1, 1, 1, -1, -1, -1, -1}));
}

Status conv_error(Tensor x, Tensor w, Attributes attrs, std::vector<Tensor> extra = {}) {
  OpRun run{.op_type = "Conv", .attrs = std::move(attrs), .inputs = {std::move(x), std::move(w)}};
  for (Tensor& t : extra) run.inputs.push_back(std::move(t));
  auto out = run_op(run);
  return out.is_ok() ? Status::ok() : out.status();
}

TEST(Conv, RefusesBadInputs) {
  Tensor x = random_tensor({1, 4, 5, 5}, 1);
  Tensor w = random_tensor({2, 4, 3, 3}, 2);
  Attributes none;
  EXPECT_FALSE(conv_error(Tensor::from_vector<int64_t>({1, 1, 1, 1}, {1}), w, none).is_ok());
  EXPECT_FALSE(conv_error(x, random_tensor({2, 3, 3, 3}, 2), none).is_ok());  // channels
  EXPECT_FALSE(conv_error(x, random_tensor({2, 4, 3}, 2), none).is_ok());     // rank
  EXPECT_FALSE(conv_error(x, random_tensor({2, 4, 7, 7}, 2), none).is_ok());  // kernel too big
  EXPECT_FALSE(conv_error(x, w, none, {random_tensor({3}, 3)}).is_ok());      // bias size
  Attributes group;
  group.set("group", int64_t{3});
  EXPECT_FALSE(conv_error(x, w, group).is_ok());
  Attributes strides;
  strides.set("strides", std::vector<int64_t>{1, 1, 1});
  Status s = conv_error(x, w, strides);
  EXPECT_NE(s.message().find("strides"), std::string::npos) << s.message();
  Attributes zero_stride;
  zero_stride.set("strides", std::vector<int64_t>{0, 1});
  EXPECT_FALSE(conv_error(x, w, zero_stride).is_ok());
  Attributes kernel_shape;
  kernel_shape.set("kernel_shape", std::vector<int64_t>{2, 2});
  EXPECT_NE(conv_error(x, w, kernel_shape).message().find("kernel_shape"), std::string::npos);
  Attributes auto_pad;
  auto_pad.set("auto_pad", std::string("SIDEWAYS"));
  EXPECT_EQ(conv_error(x, w, auto_pad).code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace pixlake::testing
