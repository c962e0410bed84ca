#include "ops/conv_winograd.h"

#include <algorithm>
#include <cstring>

#include "kernels/f32_gemm/gemm.h"
#include "kernels/f32_winograd/winograd.h"

namespace pixlake {
namespace {

int64_t round16(int64_t n) { return (n + 15) / 16 * 16; }

// Outputs below this many 4x4 tiles stay with the direct GEMM: with ResNet-50's 7x7 maps
// (4 tiles of which 2 are mostly padding) the 36 weight matrices, 4x the weights, are read
// for little arithmetic (bench/kernels/conv_bench measures the crossing).
constexpr int64_t kMinTiles = 16;

}  // namespace

bool WinogradConv::eligible(const Tensor& weight, int64_t group, const WindowAttrs& attrs) {
  if (f32_gemm_packed() == nullptr || weight.dtype() != DType::kF32 || weight.rank() != 4 ||
      weight.dim(2) != 3 || weight.dim(3) != 3 || group != 1 || weight.dim(0) < 1 ||
      weight.dim(1) < 1) {
    return false;
  }
  auto all_one = [](const std::vector<int64_t>& v) {
    return std::all_of(v.begin(), v.end(), [](int64_t x) { return x == 1; });
  };
  return all_one(attrs.strides) && all_one(attrs.dilations);
}

const WinogradConv& LazyWinogradConv::get(const Tensor& weight) {
  std::call_once(once_, [&] { conv_ = WinogradConv::prepare_now(weight); });
  return *conv_;
}

std::shared_ptr<const WinogradConv> WinogradConv::prepare_now(const Tensor& weight) {
  auto conv = std::make_shared<WinogradConv>();
  conv->maps_ = weight.dim(0);
  conv->channels_ = weight.dim(1);
  conv->cp_ = round16(conv->channels_);
  conv->kp_ = round16(conv->maps_);
  const std::vector<float> u =
      f32_winograd43_weights(weight.data<float>(), conv->maps_, conv->channels_, conv->cp_);
  conv->packed_floats_ = f32_gemm_packed_floats(conv->cp_, conv->maps_);
  conv->packed_storage_.resize(static_cast<size_t>(kWinogradPoints * conv->packed_floats_ + 16));
  float* packed = reinterpret_cast<float*>(
      (reinterpret_cast<uintptr_t>(conv->packed_storage_.data()) + 63) & ~uintptr_t{63});
  for (int64_t xi = 0; xi < kWinogradPoints; ++xi) {
    f32_gemm_pack_b(conv->cp_, conv->maps_, u.data() + xi * conv->cp_ * conv->maps_, conv->maps_,
                    packed + xi * conv->packed_floats_);
  }
  conv->packed_ = packed;
  return conv;
}

bool WinogradConv::applies(const Window& w) {
  if (w.rank() != 2 || w.kernel[0] != 3 || w.kernel[1] != 3) return false;
  if (w.strides[0] != 1 || w.strides[1] != 1 || w.dilations[0] != 1 || w.dilations[1] != 1) {
    return false;
  }
  const int64_t tiles = ((w.out[0] + 3) / 4) * ((w.out[1] + 3) / 4);
  return tiles >= kMinTiles;
}

void WinogradConv::run(const float* image, const Window& w, const float* bias, Clamp clamp,
                       ThreadPool* pool, float* y) const {
  WinogradShape s;
  s.channels = channels_;
  s.cp = cp_;
  s.maps = maps_;
  s.kp = kp_;
  s.out_h = w.out[0];
  s.out_w = w.out[1];
  s.tiles_h = (s.out_h + kWinogradTile - 1) / kWinogradTile;
  s.tiles_w = (s.out_w + kWinogradTile - 1) / kWinogradTile;
  const int64_t tiles = s.tiles();
  // Per-thread buffers kept between runs (as Conv's column buffer).
  thread_local std::vector<float> hwc, v, m;
  const auto hwc_floats = static_cast<size_t>(s.padded_h() * s.padded_w() * s.cp);
  if (hwc.size() < hwc_floats) hwc.resize(hwc_floats);
  if (v.size() < static_cast<size_t>(kWinogradPoints * tiles * s.cp)) {
    v.resize(static_cast<size_t>(kWinogradPoints * tiles * s.cp));
  }
  if (m.size() < static_cast<size_t>(kWinogradPoints * tiles * s.kp)) {
    m.resize(static_cast<size_t>(kWinogradPoints * tiles * s.kp));
  }
  // Channel-last and zero-padded: input row iy lands on padded row iy + pad_top.
  const int64_t in_h = w.in[0], in_w = w.in[1];
  const int64_t top = w.pad_begin[0], left = w.pad_begin[1];
  const int64_t rows = std::min(in_h, s.padded_h() - top);
  const int64_t cols = std::min(in_w, s.padded_w() - left);
  // Zeros where no input lands: the padding around the image and the channels past
  // `channels` (zeroing only those: the whole buffer was a memset per layer per image).
  const int64_t y_begin = std::max<int64_t>(0, top), y_end = std::max(y_begin, top + rows);
  const int64_t x_begin = std::max<int64_t>(0, left), x_end = std::max(x_begin, left + cols);
  const int64_t pixel_row = s.padded_w() * s.cp;
  float* base = hwc.data();
  std::fill(base, base + y_begin * pixel_row, 0.0f);
  std::fill(base + y_end * pixel_row, base + s.padded_h() * pixel_row, 0.0f);
  for (int64_t py = y_begin; py < y_end; ++py) {
    float* row = base + py * pixel_row;
    std::fill(row, row + x_begin * s.cp, 0.0f);
    std::fill(row + x_end * s.cp, row + pixel_row, 0.0f);
    if (channels_ < s.cp) {
      for (int64_t px = x_begin; px < x_end; ++px) {
        std::fill(row + px * s.cp + channels_, row + (px + 1) * s.cp, 0.0f);
      }
    }
  }
  for (int64_t c = 0; c < channels_; ++c) {
    const float* plane = image + c * in_h * in_w;
    for (int64_t iy = std::max<int64_t>(0, -top); iy < rows; ++iy) {
      float* dst = hwc.data() + ((iy + top) * s.padded_w() + left) * s.cp + c;
      const float* src = plane + iy * in_w;
      for (int64_t ix = std::max<int64_t>(0, -left); ix < cols; ++ix) dst[ix * s.cp] = src[ix];
    }
  }
  float* const v_data = v.data();
  float* const m_data = m.data();
  const float* const hwc_data = hwc.data();
  // Tiles in blocks for the pool (whole tiles per piece: results do not depend on the split).
  const WinogradInputFn input = f32_winograd43_input();
  parallel_ranges(pool, tiles, 1,
                  [&](int64_t begin, int64_t end) { input(s, hwc_data, begin, end, v_data); });
  const GemmPackedFn gemm = f32_gemm_packed();
  const Clamp none{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  auto product = [&](int64_t xi) {
    const GemmShape shape{tiles, maps_, cp_, cp_, 0, kp_};
    gemm(shape, v_data + xi * tiles * cp_, packed_ + xi * packed_floats_, nullptr, none,
         m_data + xi * tiles * kp_);
  };
  if (pool != nullptr) {
    pool->run(kWinogradPoints, product);
  } else {
    for (int64_t xi = 0; xi < kWinogradPoints; ++xi) product(xi);
  }
  const WinogradOutputFn output = f32_winograd43_output();
  parallel_ranges(pool, tiles, 1, [&](int64_t begin, int64_t end) {
    output(s, m_data, bias, clamp, begin, end, y);
  });
}

}  // namespace pixlake
