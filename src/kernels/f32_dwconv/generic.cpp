// The depthwise kernel built for the baseline ISA (x86-64 SSE2).
#include "kernels/f32_dwconv/dwconv_impl.h"

namespace pixlake {

void f32_dwconv2d__generic(const DwConvShape& s, const float* x, const float* w, const float* bias,
                           Clamp clamp, float* scratch, float* y) {
  dwconv2d_body(s, x, w, bias, clamp, scratch, y);
}

}  // namespace pixlake
