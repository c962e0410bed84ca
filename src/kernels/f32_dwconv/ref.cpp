#include "kernels/f32_dwconv/dwconv.h"

namespace pixlake {

void f32_dwconv2d__ref(const DwConvShape& s, const float* x, const float* w, const float* bias,
                       Clamp clamp, float* scratch, float* y) {
  (void)scratch;
  for (int64_t c = 0; c < s.channels; ++c) {
    const float* plane = x + c * s.in_h * s.in_w;
    const float* filter = w + c * s.kernel_h * s.kernel_w;
    for (int64_t oy = 0; oy < s.out_h; ++oy) {
      for (int64_t ox = 0; ox < s.out_w; ++ox) {
        float acc = bias ? bias[c] : 0.0f;
        for (int64_t ky = 0; ky < s.kernel_h; ++ky) {
          const int64_t iy = oy * s.stride_h - s.pad_top + ky * s.dilation_h;
          if (iy < 0 || iy >= s.in_h) continue;
          for (int64_t kx = 0; kx < s.kernel_w; ++kx) {
            const int64_t ix = ox * s.stride_w - s.pad_left + kx * s.dilation_w;
            if (ix < 0 || ix >= s.in_w) continue;
            acc += filter[ky * s.kernel_w + kx] * plane[iy * s.in_w + ix];
          }
        }
        acc = acc < clamp.lo ? clamp.lo : acc;
        y[(c * s.out_h + oy) * s.out_w + ox] = acc > clamp.hi ? clamp.hi : acc;
      }
    }
  }
}

}  // namespace pixlake
