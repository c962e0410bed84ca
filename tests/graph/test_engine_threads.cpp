// EngineOptions::threads: a convolution split over the engine's thread pool computes exactly
// what one thread computes (each output column block runs the same kernel on the same panels),
// in float32 and bf16, and an engine with a pool stays correct when two callers run it at once
// (the second runs inline instead of sharing the pool).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <thread>

#include "pixlake/engine.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

constexpr const char* kModel = "models/mobilenetv2-12-int8.onnx";

Tensor random_input(int64_t batch, uint32_t seed) {
  Tensor t(DType::kF32, {batch, 3, 224, 224});
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = normal(rng);
  return t;
}

std::vector<Tensor> run(const Engine& engine, const Tensor& input) {
  auto out = engine.run({{"input", input}}, {"output", "627"});
  EXPECT_TRUE(out.is_ok()) << out.status().message();
  return out.is_ok() ? std::move(out).value() : std::vector<Tensor>();
}

void expect_identical(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].numel(), b[i].numel());
    EXPECT_EQ(std::memcmp(a[i].data<float>(), b[i].data<float>(),
                          static_cast<size_t>(a[i].numel()) * sizeof(float)),
              0)
        << "output " << i;
  }
}

TEST(EngineThreads, PoolGivesTheSameBitsAsOneThread) {
  PIXLAKE_REQUIRE_DATA(kModel);
  for (Precision precision : {Precision::kFp32, Precision::kBf16}) {
    EngineOptions one;
    one.dequantize = true;
    one.precision = precision;
    EngineOptions three = one;
    three.threads = 3;
    auto single = Engine::load(data_path(kModel), one);
    auto pooled = Engine::load(data_path(kModel), three);
    ASSERT_TRUE(single.is_ok() && pooled.is_ok());
    const Tensor input = random_input(2, 7);
    expect_identical(run(**single, input), run(**pooled, input));
  }
}

TEST(EngineThreads, TwoCallersShareOnePooledEngine) {
  PIXLAKE_REQUIRE_DATA(kModel);
  EngineOptions options;
  options.dequantize = true;
  options.threads = 2;
  auto engine = Engine::load(data_path(kModel), options);
  ASSERT_TRUE(engine.is_ok());
  const Tensor a = random_input(1, 1);
  const Tensor b = random_input(1, 2);
  const auto expected_a = run(**engine, a);
  const auto expected_b = run(**engine, b);
  std::vector<Tensor> got_a, got_b;
  std::thread other([&] {
    for (int i = 0; i < 3; ++i) got_b = run(**engine, b);
  });
  for (int i = 0; i < 3; ++i) got_a = run(**engine, a);
  other.join();
  expect_identical(expected_a, got_a);
  expect_identical(expected_b, got_b);
}

}  // namespace
}  // namespace pixlake::testing
