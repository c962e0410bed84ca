// bench/kernels/gemm_bench: pixlake's float32 GEMM kernel beside OpenBLAS's cblas_sgemm on the
// products ResNet-50 and ViT-B/16 run (shapes below), one thread, interleaved, best of rounds.
// Prints GFLOP/s of both and the ratio, as a table and one JSON line per shape; plus the bf16
// kernel (--precision bf16's product, weights rounded once) where the CPU has AVX-512 BF16.
//
//   gemm_bench [--rounds 5] [--min-ms 200]
//
// Conv layers are C [maps, pixels] = W [maps, depth] x columns [depth, pixels] (W is the
// constant); transformer projections are C [tokens, out] = X [tokens, in] x W [in, out].
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/blas_threads.h"
#include "kernels/bf16_gemm/gemm.h"
#include "kernels/f32_gemm/gemm.h"

namespace {

struct Case {
  const char* name;
  int64_t m, n, k;
};

constexpr Case kCases[] = {
    {"resnet50 conv2 1x1 64->256", 256, 3136, 64},
    {"resnet50 conv2 3x3 64", 64, 3136, 576},
    {"resnet50 conv3 3x3 128", 128, 784, 1152},
    {"resnet50 conv3 1x1 128->512", 512, 784, 128},
    {"resnet50 conv4 3x3 256", 256, 196, 2304},
    {"resnet50 conv4 1x1 1024->256", 256, 196, 1024},
    {"resnet50 conv5 3x3 512", 512, 49, 4608},
    {"resnet50 conv5 1x1 512->2048", 2048, 49, 512},
    {"mobilenet_v2 1x1 32->192 56x56", 192, 3136, 32},
    {"mobilenet_v2 1x1 576->96 14x14", 96, 196, 576},
    {"vit qkv 197x768->2304", 197, 2304, 768},
    {"vit mlp 197x3072->768", 197, 768, 3072},
};

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Best time of one call, repeating until `min_ms` has passed.
template <typename F>
double best_ms(F&& call, double min_ms) {
  double best = std::numeric_limits<double>::infinity();
  const double start = now_ms();
  do {
    const double t0 = now_ms();
    call();
    best = std::min(best, now_ms() - t0);
  } while (now_ms() - start < min_ms);
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  double min_ms = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--min-ms") == 0) min_ms = std::atof(argv[i + 1]);
  }
  pixlake::set_blas_threads(1);
  const pixlake::GemmFn gemm = pixlake::f32_gemm();
  if (gemm == nullptr) {
    std::fprintf(stderr, "gemm_bench: this CPU has no pixlake f32 GEMM kernel (needs AVX-512)\n");
    return 1;
  }
  const pixlake::Bf16GemmFn gemm_bf16 = pixlake::bf16_gemm();
  std::printf("%-34s %9s %9s %7s %9s %7s\n", "shape (M x N x K)", "pixlake", "openblas", "ratio",
              "bf16", "ratio");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  double log_sum = 0;
  int count = 0;
  for (const Case& c : kCases) {
    std::vector<float> a(static_cast<size_t>(c.m * c.k)), b(static_cast<size_t>(c.k * c.n));
    std::vector<float> out(static_cast<size_t>(c.m * c.n)), bias(static_cast<size_t>(c.m), 0.0f);
    for (float& v : a) v = dist(rng);
    for (float& v : b) v = dist(rng);
    const pixlake::GemmShape s{c.m, c.n, c.k, c.k, c.n, c.n};
    std::vector<float> scratch(static_cast<size_t>(pixlake::f32_gemm_scratch_floats(s)));
    const pixlake::Clamp none{-std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::infinity()};
    double ours = std::numeric_limits<double>::infinity();
    double blas = ours;
    double bf16 = ours;
    const std::vector<uint32_t> pairs =
        gemm_bf16 ? pixlake::pack_bf16_pairs(a.data(), c.m, c.k, c.k) : std::vector<uint32_t>();
    std::vector<float> bf16_scratch(static_cast<size_t>(pixlake::bf16_gemm_scratch_floats(s)));
    for (int r = 0; r < rounds; ++r) {
      ours = std::min(
          ours,
          best_ms(
              [&] { gemm(s, a.data(), b.data(), bias.data(), none, scratch.data(), out.data()); },
              min_ms / rounds));
      blas = std::min(blas, best_ms(
                                [&] {
                                  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(c.m),
                                              int(c.n), int(c.k), 1.0f, a.data(), int(c.k),
                                              b.data(), int(c.n), 0.0f, out.data(), int(c.n));
                                },
                                min_ms / rounds));
      if (gemm_bf16) {
        bf16 = std::min(bf16, best_ms(
                                  [&] {
                                    gemm_bf16(s, pairs.data(), b.data(), bias.data(), none,
                                              bf16_scratch.data(), out.data());
                                  },
                                  min_ms / rounds));
      }
    }
    const double flop = 2.0 * double(c.m) * double(c.n) * double(c.k);
    const double ours_gf = flop / ours / 1e6;
    const double blas_gf = flop / blas / 1e6;
    const double bf16_gf = gemm_bf16 ? flop / bf16 / 1e6 : 0.0;
    std::printf("%-34s %9.1f %9.1f %6.2fx %9.1f %6.2fx   (%lldx%lldx%lld)\n", c.name, ours_gf,
                blas_gf, ours_gf / blas_gf, bf16_gf, bf16_gf / blas_gf, (long long)c.m,
                (long long)c.n, (long long)c.k);
    std::fprintf(stderr,
                 "{\"shape\": \"%s\", \"m\": %lld, \"n\": %lld, \"k\": %lld, \"pixlake_gflops\": "
                 "%.2f, \"openblas_gflops\": %.2f, \"ratio\": %.3f, \"bf16_gflops\": %.2f}\n",
                 c.name, (long long)c.m, (long long)c.n, (long long)c.k, ours_gf, blas_gf,
                 ours_gf / blas_gf, bf16_gf);
    log_sum += std::log(ours_gf / blas_gf);
    ++count;
  }
  std::printf("geometric mean ratio: %.2fx\n", std::exp(log_sum / count));
  return 0;
}
