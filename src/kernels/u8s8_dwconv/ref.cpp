#include "kernels/u8s8_dwconv/dwconv.h"

namespace pixlake {

void u8s8_dwconv__ref(const U8DwConvShape& s, const uint8_t* x, uint8_t x_zero_point,
                      const int8_t* w, const U8S8Requant& rq, uint8_t*, uint8_t* y) {
  const int64_t taps = s.kernel_h * s.kernel_w;
  for (int64_t c = 0; c < s.channels; ++c) {
    const uint8_t* plane = x + c * s.in_h * s.in_w;
    const int8_t* filter = w + c * taps;
    for (int64_t oh = 0; oh < s.out_h; ++oh) {
      for (int64_t ow = 0; ow < s.out_w; ++ow) {
        int64_t acc = 0;
        int64_t x_sum = 0;
        for (int64_t kh = 0; kh < s.kernel_h; ++kh) {
          for (int64_t kw = 0; kw < s.kernel_w; ++kw) {
            const int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
            const int64_t iw = ow * s.stride_w - s.pad_left + kw * s.dilation_w;
            const bool inside = ih >= 0 && ih < s.in_h && iw >= 0 && iw < s.in_w;
            const int32_t value = inside ? plane[ih * s.in_w + iw] : x_zero_point;
            acc += value * filter[kh * s.kernel_w + kw];
            x_sum += value;
          }
        }
        acc += rq.row_offset[c];
        if (rq.row_w_zero != nullptr) acc -= rq.row_w_zero[c] * x_sum;
        y[(c * s.out_h + oh) * s.out_w + ow] =
            static_cast<uint8_t>(u8s8_requantize(static_cast<int32_t>(acc), rq.row_scale[c], rq));
      }
    }
  }
}

}  // namespace pixlake
