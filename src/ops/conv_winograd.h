// A 3x3, stride-1, undilated, ungrouped 2-D convolution with constant weights, computed with
// Winograd F(4x4, 3x3) (kernels/f32_winograd): 4x fewer multiplications than the direct
// product for the price of transforms around 36 smaller GEMMs. Used by Conv where it wins
// (large enough maps; see applies()), in float32 only.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/f32_dwconv/dwconv.h"
#include "ops/window.h"
#include "pixlake/tensor.h"

namespace pixlake {

class WinogradConv {
 public:
  // True when `weight` [maps, channels, 3, 3] (float32) and the attributes allow the method
  // and this CPU has the kernels.
  static bool eligible(const Tensor& weight, int64_t group, const WindowAttrs& attrs);

  // True when a window resolved at run time is one this convolution should take: the maps
  // must give enough tiles for the transforms and the 36 weight matrices to pay off.
  static bool applies(const Window& w);

  // y [maps, out_h, out_w] for one image [channels, in_h, in_w].
  void run(const float* image, const Window& w, const float* bias, Clamp clamp, ThreadPool* pool,
           float* y) const;

 private:
  friend class LazyWinogradConv;
  static std::shared_ptr<const WinogradConv> prepare_now(const Tensor& weight);

  int64_t maps_ = 0, channels_ = 0, cp_ = 0, kp_ = 0;
  int64_t packed_floats_ = 0;          // one xi's packed weight panels
  std::vector<float> packed_storage_;  // 36 x packed_floats_, from packed_ (64-byte aligned)
  const float* packed_ = nullptr;
};

// The transformed weights of one layer, made on the first run that applies() (a layer whose
// maps are too small never pays their memory: 4x its weights) and shared by every later run
// and by the Conv's fused copies.
class LazyWinogradConv {
 public:
  // The layer's convolution, transformed from `weight` on the first call (thread-safe).
  const WinogradConv& get(const Tensor& weight);

 private:
  std::once_flag once_;
  std::shared_ptr<const WinogradConv> conv_;
};

}  // namespace pixlake
