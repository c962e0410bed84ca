// Numerical parity with ONNX Runtime on the shared photos, for the registered models: the
// same preprocessed batch goes through pixlake and through ONNX Runtime (same .onnx file).
// Bars (issue "Engine foundation"): float path: logits within 1e-3 of the logit scale and
// embedding cosine >= 0.9999; int8 path: identical top-1 and cosine >= 0.999.
// mobilenetv2-f32 / -bf16 (the int8 file dequantised at load) are compared with ONNX Runtime on
// the float graph that bench/ingest/float_reconstruction.py (python3-onnx) writes: the same
// arithmetic built by an independent rewrite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "image/preprocess.h"
#include "peer.h"
#include "service/embedder.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

std::vector<std::string> photo_paths() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(data_path("photos"))) {
    paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

int64_t argmax_row(const std::vector<float>& v, int64_t row, int64_t k) {
  const float* p = v.data() + row * k;
  return std::max_element(p, p + k) - p;
}

double cosine_row(const Tensor& a, const Tensor& b, int64_t row) {
  const int64_t d = a.dim(1);
  double dot = 0, na = 0, nb = 0;
  for (int64_t i = 0; i < d; ++i) {
    double x = a.data<float>()[row * d + i], y = b.data<float>()[row * d + i];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / std::sqrt(na * nb);
}

// The shared photos, decoded and preprocessed for `e`'s model, as one batch.
void load_photo_batch(const Embedder& e, Tensor* batch) {
  std::vector<Image> images;
  for (const std::string& p : photo_paths()) {
    auto img = decode_image_file(p);
    ASSERT_TRUE(img.is_ok()) << img.status().message();
    images.push_back(std::move(img).value());
  }
  auto preprocessed = preprocess_batch(images, e.spec().preprocess);
  ASSERT_TRUE(preprocessed.is_ok()) << preprocessed.status().message();
  *batch = std::move(preprocessed).value();
}

struct ParityBars {
  bool quantised;
  double min_cosine;
};

void check_parity(const std::string& model, ParityBars bars) {
  PIXLAKE_REQUIRE_DATA("photos");
  PIXLAKE_REQUIRE_DATA("models");
  ASSERT_TRUE(ort_available()) << "onnxruntime-node is not installed; run scripts/install_peers.sh";
  setenv("PIXLAKE_DATA", data_dir().c_str(), 0);
  auto embedder = Embedder::open(model);
  ASSERT_TRUE(embedder.is_ok()) << embedder.status().message();
  const Embedder& e = **embedder;

  Tensor batch;
  load_photo_batch(e, &batch);
  if (::testing::Test::HasFatalFailure()) return;

  const std::vector<std::string> names = {e.spec().classifier_output, e.layer()};
  auto ours = e.run(batch, names);
  ASSERT_TRUE(ours.is_ok()) << ours.status().message();
  auto model_path = locate_model_file(e.spec());
  ASSERT_TRUE(model_path.is_ok());
  std::string work = std::string(PIXLAKE_BINARY_DIR) + "/parity/" + model;
  auto theirs = run_ort(*model_path, {{e.spec().input, batch}}, names, work);
  ASSERT_TRUE(theirs.is_ok()) << theirs.status().message();

  const int64_t n = batch.dim(0);
  std::vector<float> a = cast_tensor((*ours)[0], DType::kF32).to_floats();
  std::vector<float> b = (*theirs)[0].to_floats();
  ASSERT_EQ(a.size(), b.size());
  const int64_t k = static_cast<int64_t>(a.size()) / n;
  double scale = 0, max_diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::abs(double(b[i])));
    max_diff = std::max(max_diff, std::abs(double(a[i]) - b[i]));
  }
  for (int64_t row = 0; row < n; ++row) {
    EXPECT_EQ(argmax_row(a, row, k), argmax_row(b, row, k)) << "top-1 differs on image " << row;
  }
  if (!bars.quantised) {
    EXPECT_LT(max_diff / scale, 1e-3) << "max abs diff " << max_diff << ", scale " << scale;
  }
  auto ours_emb = layer_to_embedding((*ours)[1], e.engine().quantization_of(e.layer()));
  auto theirs_emb = layer_to_embedding((*theirs)[1], std::nullopt);
  ASSERT_TRUE(ours_emb.is_ok() && theirs_emb.is_ok());
  double worst = 1;
  for (int64_t row = 0; row < n; ++row)
    worst = std::min(worst, cosine_row(*ours_emb, *theirs_emb, row));
  EXPECT_GE(worst, bars.min_cosine);
  std::printf("%s: %lld images, output max |diff| %.3g (scale %.3g), worst embedding cosine %.6f\n",
              model.c_str(), static_cast<long long>(n), max_diff, scale, worst);
}

// Embedding layer of a dequantised MobileNetV2 registry entry vs ONNX Runtime on the Python
// float reconstruction (which ends at that layer).
void check_float_twin_parity(const std::string& model, double min_cosine) {
  PIXLAKE_REQUIRE_DATA("photos");
  PIXLAKE_REQUIRE_DATA("models");
  ASSERT_TRUE(ort_available()) << "onnxruntime-node is not installed; run scripts/install_peers.sh";
  setenv("PIXLAKE_DATA", data_dir().c_str(), 0);
  auto embedder = Embedder::open(model);
  ASSERT_TRUE(embedder.is_ok()) << embedder.status().message();
  const Embedder& e = **embedder;
  auto int8_path = locate_model_file(e.spec());
  ASSERT_TRUE(int8_path.is_ok());

  const std::string work = std::string(PIXLAKE_BINARY_DIR) + "/parity/" + model;
  std::filesystem::create_directories(work);
  const std::string float_path = work + "/float_reconstruction.onnx";
  // Debian's interpreter, where python3-onnx is installed (not whatever python3 is first on PATH).
  const std::string rewrite = "/usr/bin/python3 '" + std::string(PIXLAKE_SOURCE_DIR) +
                              "/bench/ingest/float_reconstruction.py' '" + *int8_path + "' '" +
                              float_path + "' > /dev/null";
  ASSERT_EQ(std::system(rewrite.c_str()), 0) << rewrite << " failed (needs python3-onnx)";

  Tensor batch;
  load_photo_batch(e, &batch);
  if (::testing::Test::HasFatalFailure()) return;
  auto ours = e.run(batch, {e.layer()});
  ASSERT_TRUE(ours.is_ok()) << ours.status().message();
  auto theirs = run_ort(float_path, {{e.spec().input, batch}}, {e.layer()}, work);
  ASSERT_TRUE(theirs.is_ok()) << theirs.status().message();

  auto ours_emb = layer_to_embedding((*ours)[0], e.engine().quantization_of(e.layer()));
  auto theirs_emb = layer_to_embedding((*theirs)[0], std::nullopt);
  ASSERT_TRUE(ours_emb.is_ok() && theirs_emb.is_ok());
  const int64_t n = batch.dim(0);
  double worst = 1;
  for (int64_t row = 0; row < n; ++row)
    worst = std::min(worst, cosine_row(*ours_emb, *theirs_emb, row));
  EXPECT_GE(worst, min_cosine);
  std::printf("%s: %lld images, worst embedding cosine vs the float reconstruction %.6f\n",
              model.c_str(), static_cast<long long>(n), worst);
}

TEST(SlowParity, MobileNetV2Int8MatchesOnnxRuntime) { check_parity("mobilenetv2", {true, 0.999}); }
TEST(SlowParity, SqueezeNetFp16MatchesOnnxRuntime) { check_parity("squeezenet", {false, 0.9999}); }
TEST(SlowParity, MobileNetV2Float32MatchesTheFloatReconstruction) {
  check_float_twin_parity("mobilenetv2-f32", 0.9999);
}
// bf16 products keep 8 bits of mantissa: the bar is the one measured over 300 Caltech photos
// (min 0.9986) with margin; on CPUs without AVX-512 BF16 this runs the float32 kernels.
TEST(SlowParity, MobileNetV2Bf16StaysCloseToTheFloatReconstruction) {
  check_float_twin_parity("mobilenetv2-bf16", 0.995);
}

}  // namespace
}  // namespace pixlake::testing
