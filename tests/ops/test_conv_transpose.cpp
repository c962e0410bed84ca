#include <string>

#include "op_test_util.h"
#include "random_tensor.h"

namespace pixlake::testing {
namespace {

struct ConvTransposeCase {
  Shape x;       // [N, C, spatial...]
  int64_t maps;  // output channels M
  Shape kernel;
  Shape strides;
  Shape pads;  // begin..., end...
  Shape dilations;
  Shape output_padding;
  int64_t group = 1;
  bool bias = true;
};

// The definition: every input value spreads kernel-weighted copies over the output, on 3-D
// (padded) spatial shapes.
Tensor naive_conv_transpose(const ConvTransposeCase& c, const Tensor& x, const Tensor& w,
                            const Tensor* b) {
  const size_t rank = c.kernel.size();
  Shape in3 = to_3d(Shape(c.x.begin() + 2, c.x.end()), 1);
  Shape k3 = to_3d(c.kernel, 1), s3 = to_3d(c.strides, 1), d3 = to_3d(c.dilations, 1);
  Shape pb3(3, 0), out3(3, 1), out_shape = {c.x[0], c.maps};
  for (size_t d = 0; d < rank; ++d) {
    int64_t out = c.strides[d] * (c.x[2 + d] - 1) + c.output_padding[d] +
                  (c.kernel[d] - 1) * c.dilations[d] + 1 - c.pads[d] - c.pads[d + rank];
    pb3[3 - rank + d] = c.pads[d];
    out3[3 - rank + d] = out;
    out_shape.push_back(out);
  }
  Tensor y(DType::kF32, out_shape);
  const int64_t channels = c.x[1], cg = channels / c.group, mg = c.maps / c.group;
  const int64_t out_plane = out3[0] * out3[1] * out3[2];
  for (int64_t n = 0; n < c.x[0]; ++n)
    for (int64_t ci = 0; ci < channels; ++ci)
      for (int64_t i0 = 0; i0 < in3[0]; ++i0)
        for (int64_t i1 = 0; i1 < in3[1]; ++i1)
          for (int64_t i2 = 0; i2 < in3[2]; ++i2) {
            float xv =
                x.data<float>()[(((n * channels + ci) * in3[0] + i0) * in3[1] + i1) * in3[2] + i2];
            const int64_t g = ci / cg;
            for (int64_t mi = 0; mi < mg; ++mi)
              for (int64_t k0 = 0; k0 < k3[0]; ++k0)
                for (int64_t k1 = 0; k1 < k3[1]; ++k1)
                  for (int64_t k2 = 0; k2 < k3[2]; ++k2) {
                    int64_t o0 = i0 * s3[0] - pb3[0] + k0 * d3[0];
                    int64_t o1 = i1 * s3[1] - pb3[1] + k1 * d3[1];
                    int64_t o2 = i2 * s3[2] - pb3[2] + k2 * d3[2];
                    if (o0 < 0 || o0 >= out3[0] || o1 < 0 || o1 >= out3[1] || o2 < 0 ||
                        o2 >= out3[2])
                      continue;
                    float wv =
                        w.data<float>()[(((ci * mg + mi) * k3[0] + k0) * k3[1] + k1) * k3[2] + k2];
                    int64_t m = g * mg + mi;
                    y.data<float>()[(n * c.maps + m) * out_plane + (o0 * out3[1] + o1) * out3[2] +
                                    o2] += xv * wv;
                  }
          }
  if (b != nullptr) {
    for (int64_t n = 0; n < c.x[0]; ++n)
      for (int64_t m = 0; m < c.maps; ++m)
        for (int64_t i = 0; i < out_plane; ++i)
          y.data<float>()[(n * c.maps + m) * out_plane + i] += b->data<float>()[m];
  }
  return y;
}

void check_against_naive(ConvTransposeCase c) {
  const size_t rank = c.kernel.size();
  if (c.strides.empty()) c.strides.assign(rank, 1);
  if (c.dilations.empty()) c.dilations.assign(rank, 1);
  if (c.pads.empty()) c.pads.assign(2 * rank, 0);
  if (c.output_padding.empty()) c.output_padding.assign(rank, 0);
  Shape w_shape = {c.x[1], c.maps / c.group};
  w_shape.insert(w_shape.end(), c.kernel.begin(), c.kernel.end());
  Tensor x = random_tensor(c.x, 1), w = random_tensor(w_shape, 2), b = random_tensor({c.maps}, 3);
  OpRun run{.op_type = "ConvTranspose", .inputs = {x, w}};
  if (c.bias) run.inputs.push_back(b);
  run.attrs.set("strides", c.strides);
  run.attrs.set("dilations", c.dilations);
  run.attrs.set("group", c.group);
  run.attrs.set("pads", c.pads);
  run.attrs.set("output_padding", c.output_padding);
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], naive_conv_transpose(c, x, w, c.bias ? &b : nullptr), 1e-4f, 1e-5f);
}

Tensor arange_3x3() {
  return Tensor::from_vector<float>({1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
}
Tensor ones_1x2x3x3() {
  return Tensor::from_vector<float>({1, 2, 3, 3}, std::vector<float>(18, 1.0f));
}

// ONNX spec example convtranspose: 3x3 arange input, 3x3 ones kernel, two output channels.
TEST(ConvTranspose, SpecExample) {
  OpRun run{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  std::vector<float> plane = {0,  1,  3, 3,  2,  3,  8,  15, 12, 7,  9,  21, 36,
                              27, 15, 9, 20, 33, 24, 13, 6,  13, 21, 15, 8};
  std::vector<float> both = plane;
  both.insert(both.end(), plane.begin(), plane.end());
  expect_close(out.value()[0], Tensor::from_vector<float>({1, 2, 5, 5}, both));
}

// ONNX spec example convtranspose_output_shape: the requested 10x8 output is one row and one
// column larger than the unpadded 9x7 result; the extra row and column stay zero.
TEST(ConvTranspose, OutputShapePadsAtTheEnd) {
  OpRun run{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  run.attrs.set("strides", std::vector<int64_t>{3, 2});
  run.attrs.set("output_shape", std::vector<int64_t>{10, 8});
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  const Tensor& y = out.value()[0];
  ASSERT_EQ(shape_to_string(y.shape()), "[1,2,10,8]");
  std::vector<float> row0 = {0, 0, 1, 1, 3, 2, 2, 0};
  std::vector<float> row3 = {3, 3, 7, 4, 9, 5, 5, 0};
  for (int col = 0; col < 8; ++col) {
    EXPECT_EQ(y.data<float>()[col], row0[col]);
    EXPECT_EQ(y.data<float>()[3 * 8 + col], row3[col]);
    EXPECT_EQ(y.data<float>()[9 * 8 + col], 0.0f);
  }
}

// output_padding adds the same extra row and column as output_shape above.
TEST(ConvTranspose, OutputPaddingMatchesOutputShape) {
  OpRun padded{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  padded.attrs.set("strides", std::vector<int64_t>{3, 2});
  padded.attrs.set("output_padding", std::vector<int64_t>{1, 1});
  OpRun shaped{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  shaped.attrs.set("strides", std::vector<int64_t>{3, 2});
  shaped.attrs.set("output_shape", std::vector<int64_t>{1, 2, 10, 8});  // full-rank form
  auto a = run_op(padded);
  auto b = run_op(shaped);
  ASSERT_TRUE(a.is_ok()) << a.status().message();
  ASSERT_TRUE(b.is_ok()) << b.status().message();
  expect_close(a.value()[0], b.value()[0]);
}

// ONNX spec example convtranspose_autopad_same: SAME_UPPER gives input size times stride.
TEST(ConvTranspose, AutoPadSameUpper) {
  OpRun run{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  run.attrs.set("strides", std::vector<int64_t>{2, 2});
  run.attrs.set("auto_pad", std::string("SAME_UPPER"));
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  // Total padding 1 goes to the end, so this equals pads [0,0,1,1].
  ConvTransposeCase c{.x = {1, 1, 3, 3},
                      .maps = 2,
                      .kernel = {3, 3},
                      .strides = {2, 2},
                      .pads = {0, 0, 1, 1},
                      .dilations = {1, 1},
                      .output_padding = {0, 0}};
  expect_close(out.value()[0], naive_conv_transpose(c, arange_3x3(), ones_1x2x3x3(), nullptr));
  ASSERT_EQ(shape_to_string(out.value()[0].shape()), "[1,2,6,6]");
}

TEST(ConvTranspose, Conv1d) {
  check_against_naive({.x = {2, 3, 17}, .maps = 2, .kernel = {3}, .strides = {2}, .pads = {1, 2}});
}

TEST(ConvTranspose, Conv2dStridesPadsOutputPadding) {
  check_against_naive({.x = {1, 3, 5, 4},
                       .maps = 4,
                       .kernel = {3, 3},
                       .strides = {3, 2},
                       .pads = {1, 1, 1, 1},
                       .output_padding = {1, 1}});
}

TEST(ConvTranspose, Conv2dDilatedGroupsNoBias) {
  check_against_naive({.x = {2, 4, 3, 5},
                       .maps = 6,
                       .kernel = {2, 3},
                       .strides = {2, 1},
                       .dilations = {2, 2},
                       .group = 2,
                       .bias = false});
}

TEST(ConvTranspose, Conv3d) {
  check_against_naive({.x = {1, 2, 3, 4, 2},
                       .maps = 3,
                       .kernel = {2, 2, 3},
                       .strides = {2, 1, 2},
                       .pads = {0, 1, 1, 1, 0, 0}});
}

TEST(ConvTranspose, RefusesBadInputs) {
  OpRun wrong_channels{.op_type = "ConvTranspose",
                       .inputs = {arange_3x3(), random_tensor({2, 2, 3, 3}, 1)}};
  EXPECT_FALSE(run_op(wrong_channels).is_ok());
  OpRun wrong_dtype{.op_type = "ConvTranspose",
                    .inputs = {Tensor::from_vector<int64_t>({1, 1, 1, 1}, {1}), ones_1x2x3x3()}};
  EXPECT_FALSE(run_op(wrong_dtype).is_ok());
  OpRun bad_padding{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  bad_padding.attrs.set("output_padding", std::vector<int64_t>{1});
  auto s = run_op(bad_padding);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("output_padding"), std::string::npos);
  OpRun too_much_pad{.op_type = "ConvTranspose", .inputs = {arange_3x3(), ones_1x2x3x3()}};
  too_much_pad.attrs.set("pads", std::vector<int64_t>{3, 3, 3, 3});
  EXPECT_FALSE(run_op(too_much_pad).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
