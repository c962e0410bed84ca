// The int8 kernels on the layer shapes of MobileNetV2 (mobilenetv2-12-int8.onnx, batch 1):
// u8s8_gemm on every 1x1 layer (and the stem's im2col product), u8s8_dwconv on every depthwise
// layer. Prints the best-of-N time per shape and the sum over the network, per kernel, so that a
// kernel change can be judged on a shared, noisy machine (best-of-N filters the interference).
//   build/u8s8_bench [reps]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/u8s8_dwconv/dwconv.h"
#include "kernels/u8s8_gemm/gemm.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double best_us(int reps, F&& f) {
  double best = 1e30;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return best;
}

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& x : v) x = static_cast<uint8_t>(rng());
  return v;
}

struct Requant {
  std::vector<int32_t> offset;
  std::vector<float> scale;
  pixlake::U8S8Requant rq;
  explicit Requant(int64_t m)
      : offset(static_cast<size_t>(m), 100), scale(static_cast<size_t>(m), 0.001f) {
    rq.row_offset = offset.data();
    rq.row_scale = scale.data();
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace pixlake;
  const int reps = argc > 1 ? std::atoi(argv[1]) : 30;
  std::printf("u8s8_bench: avx512vnni %d, avx512vbmi %d, best of %d\n", cpu_features().avx512vnni,
              cpu_features().avx512vbmi, reps);
  struct GemmLayer {
    int64_t m, k, n, count;
  };
  const GemmLayer gemms[] = {{32, 27, 12544, 1}, {16, 32, 12544, 1}, {96, 16, 12544, 1},
                             {24, 96, 3136, 1},  {144, 24, 3136, 2}, {24, 144, 3136, 1},
                             {32, 144, 784, 1},  {192, 32, 784, 3},  {32, 192, 784, 2},
                             {64, 192, 196, 1},  {384, 64, 196, 4},  {64, 384, 196, 3},
                             {96, 384, 196, 1},  {576, 96, 196, 3},  {96, 576, 196, 2},
                             {160, 576, 49, 1},  {960, 160, 49, 3},  {160, 960, 49, 2},
                             {320, 960, 49, 1},  {1280, 320, 49, 1}, {1000, 1280, 1, 1}};
  const U8S8GemmFn gemm = u8s8_gemm();
  double gemm_total = 0;
  for (const GemmLayer& l : gemms) {
    const auto w = random_bytes(static_cast<size_t>(l.m * l.k), 1);
    std::vector<int8_t> packed(static_cast<size_t>(u8s8_gemm_packed_bytes(l.m, l.k)));
    u8s8_gemm_pack_weights(reinterpret_cast<const int8_t*>(w.data()), l.m, l.k, l.k, packed.data(),
                           nullptr);
    const auto b = random_bytes(static_cast<size_t>(l.k * l.n), 2);
    std::vector<uint8_t> y(static_cast<size_t>(l.m * l.n));
    const U8S8GemmShape s{l.m, l.n, l.k, l.n, l.n};
    std::vector<uint8_t> scratch(static_cast<size_t>(u8s8_gemm_scratch_bytes(s)));
    Requant rq(l.m);
    const double us =
        best_us(reps, [&] { gemm(s, packed.data(), b.data(), rq.rq, scratch.data(), y.data()); });
    gemm_total += us * static_cast<double>(l.count);
    std::printf("gemm   m %5lld k %5lld n %6lld x%lld  %8.1f us  %6.1f GMAC/s\n",
                static_cast<long long>(l.m), static_cast<long long>(l.k),
                static_cast<long long>(l.n), static_cast<long long>(l.count), us,
                static_cast<double>(l.m * l.k * l.n) / us / 1e3);
  }
  struct DwLayer {
    int64_t channels, size, stride, count;
  };
  const DwLayer dws[] = {{32, 112, 1, 1}, {96, 112, 2, 1}, {144, 56, 1, 1}, {144, 56, 2, 1},
                         {192, 28, 1, 2}, {192, 28, 2, 1}, {384, 14, 1, 4}, {576, 14, 1, 2},
                         {576, 14, 2, 1}, {960, 7, 1, 3}};
  double dw_total = 0;
  for (const DwLayer& l : dws) {
    U8DwConvShape s;
    s.channels = l.channels;
    s.in_h = s.in_w = l.size;
    s.kernel_h = s.kernel_w = 3;
    s.stride_h = s.stride_w = l.stride;
    s.pad_top = s.pad_left = 1;
    s.out_h = s.out_w = (l.size + 2 - 3) / l.stride + 1;
    const auto x = random_bytes(static_cast<size_t>(l.channels * l.size * l.size), 3);
    const auto w = random_bytes(static_cast<size_t>(l.channels * 9), 4);
    std::vector<uint8_t> y(static_cast<size_t>(l.channels * s.out_h * s.out_w));
    std::vector<uint8_t> scratch(static_cast<size_t>(u8s8_dwconv_scratch_bytes(s)));
    Requant rq(l.channels);
    const U8S8DwConvFn dw = u8s8_dwconv(s);
    const double us = best_us(reps, [&] {
      dw(s, x.data(), 0, reinterpret_cast<const int8_t*>(w.data()), rq.rq, scratch.data(),
         y.data());
    });
    dw_total += us * static_cast<double>(l.count);
    std::printf("dwconv c %4lld %3lldx%-3lld stride %lld x%lld  %8.1f us\n",
                static_cast<long long>(l.channels), static_cast<long long>(l.size),
                static_cast<long long>(l.size), static_cast<long long>(l.stride),
                static_cast<long long>(l.count), us);
  }
  std::printf("total: gemm %.1f us, dwconv %.1f us, both %.1f us per image\n", gemm_total, dw_total,
              gemm_total + dw_total);
  return 0;
}
