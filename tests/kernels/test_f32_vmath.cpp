// The array exp / erf kernels against std::exp / std::erf: a dense sweep of the range where
// the results are normal floats, every length up to two vectors and one past (masked tails),
// and the special values (0, -0, +-inf, NaN, overflow and underflow edges).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/f32_vmath/vmath.h"

namespace pixlake {
namespace {

struct VmathBuild {
  const char* name;
  VmathFn exp_fn;
  VmathFn erf_fn;
  bool available;
};

std::vector<VmathBuild> builds() {
  return {{"avx512", &f32_vexp__avx512, &f32_verf__avx512, cpu_features().avx512f},
          {"dispatched", f32_vexp(), f32_verf(), true}};
}

std::vector<float> sweep(float lo, float hi, int count) {
  std::vector<float> x(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) x[static_cast<size_t>(i)] = lo + (hi - lo) * i / (count - 1);
  return x;
}

// Same value, both NaN, or within `rel` of the reference plus a few denormal-sized ulps.
void expect_matches(const std::vector<float>& x, const std::vector<float>& got,
                    const std::vector<float>& want, float rel, float abs, const std::string& what) {
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(want[i])) {
      ASSERT_TRUE(std::isnan(got[i])) << what << "(" << x[i] << ") = " << got[i];
    } else if (std::isinf(want[i])) {
      ASSERT_EQ(got[i], want[i]) << what << "(" << x[i] << ")";
    } else {
      ASSERT_NEAR(got[i], want[i], rel * std::abs(want[i]) + abs) << what << "(" << x[i] << ")";
    }
  }
}

TEST(F32Vmath, ExpMatchesLibmOverTheFloatRange) {
  const std::vector<float> x = sweep(-110.0f, 95.0f, 200001);
  std::vector<float> want(x.size());
  f32_vexp__ref(static_cast<int64_t>(x.size()), x.data(), want.data());
  for (const VmathBuild& b : builds()) {
    if (!b.available) {
      GTEST_LOG_(INFO) << "skipping " << b.name << ": this CPU lacks it";
      continue;
    }
    std::vector<float> got(x.size());
    b.exp_fn(static_cast<int64_t>(x.size()), x.data(), got.data());
    // 4e-7 relative is ~3 ulp; below FLT_MIN the reference is denormal.
    expect_matches(x, got, want, 4e-7f, 2e-38f, std::string(b.name) + " exp");
  }
}

TEST(F32Vmath, ErfMatchesLibm) {
  std::vector<float> x = sweep(-12.0f, 12.0f, 200001);
  for (float tiny : {1e-30f, -1e-20f, 1e-8f, 3e-4f, 0.4999f, 0.5f, 0.5001f}) x.push_back(tiny);
  std::vector<float> want(x.size());
  f32_verf__ref(static_cast<int64_t>(x.size()), x.data(), want.data());
  for (const VmathBuild& b : builds()) {
    if (!b.available) continue;
    std::vector<float> got(x.size());
    b.erf_fn(static_cast<int64_t>(x.size()), x.data(), got.data());
    expect_matches(x, got, want, 1e-6f, 2e-7f, std::string(b.name) + " erf");
  }
}

TEST(F32Vmath, GeluMatchesTheFormula) {
  std::vector<float> x = sweep(-12.0f, 12.0f, 100001);
  std::vector<float> want(x.size());
  f32_vgelu__ref(static_cast<int64_t>(x.size()), x.data(), want.data());
  if (!cpu_features().avx512f) GTEST_SKIP() << "this CPU has no AVX-512";
  std::vector<float> got(x.size());
  f32_vgelu__avx512(static_cast<int64_t>(x.size()), x.data(), got.data());
  for (size_t i = 0; i < x.size(); ++i) {
    // erf's absolute error (2e-7) scaled by |x| / 2, plus float rounding.
    ASSERT_NEAR(got[i], want[i], 2e-6f * (1.0f + std::abs(x[i]))) << "gelu(" << x[i] << ")";
  }
}

TEST(F32Vmath, SpecialValuesAndEveryTailLength) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> specials = {0.0f,    -0.0f,  inf,     -inf,    nan,      88.72f, 89.0f,
                                       1000.0f, -87.0f, -103.0f, -104.0f, -1000.0f, 1.0f,   -1.0f};
  for (const VmathBuild& b : builds()) {
    if (!b.available) continue;
    for (size_t len = 1; len <= 33; ++len) {
      std::vector<float> x(len);
      for (size_t i = 0; i < len; ++i) x[i] = specials[i % specials.size()];
      // A guard past the end: a tail must not write beyond n.
      std::vector<float> got(len + 1, 42.0f), want(len);
      b.exp_fn(static_cast<int64_t>(len), x.data(), got.data());
      f32_vexp__ref(static_cast<int64_t>(len), x.data(), want.data());
      expect_matches(x, {got.begin(), got.end() - 1}, want, 4e-7f, 2e-38f, "exp");
      ASSERT_EQ(got[len], 42.0f) << b.name << " exp wrote past n = " << len;
      b.erf_fn(static_cast<int64_t>(len), x.data(), got.data());
      f32_verf__ref(static_cast<int64_t>(len), x.data(), want.data());
      expect_matches(x, {got.begin(), got.end() - 1}, want, 1e-6f, 2e-7f, "erf");
      ASSERT_EQ(got[len], 42.0f) << b.name << " erf wrote past n = " << len;
    }
    // In place.
    std::vector<float> x = {0.5f, -2.0f, 3.0f};
    b.exp_fn(3, x.data(), x.data());
    EXPECT_NEAR(x[1], std::exp(-2.0f), 1e-7f);
  }
}

}  // namespace
}  // namespace pixlake
