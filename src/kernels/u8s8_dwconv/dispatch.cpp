#include "core/cpu_features.h"
#include "kernels/u8s8_dwconv/dwconv.h"

namespace pixlake {
namespace {

// Row pitch of the padded plane the 3x3 kernel reads: every padded column, in whole vectors.
int64_t padded_pitch(const U8DwConvShape& s) {
  const int64_t cols = (s.out_w - 1) * s.stride_w + 3;
  return (cols + 63) / 64 * 64;
}

// The kernel computes whole groups of 16 outputs (64 for wide rows), loading 64 bytes from
// the first tap of each (4 loads, the last at +3 or +66, for wide rows): from the start of the
// last padded row, its loads read up to this many bytes (past the row, into lanes whose outputs
// are never stored).
int64_t read_slack(const U8DwConvShape& s) {
  const int64_t last_group = (s.out_w - 1) / 16 * 16;
  const int64_t last_chunk = (s.out_w - 1) / 64 * 64;
  const int64_t narrow = last_group * s.stride_w + 64;
  const int64_t wide = last_chunk * s.stride_w + (s.stride_w == 1 ? 3 : 66) + 64;
  return narrow > wide ? narrow : wide;
}

}  // namespace

bool u8s8_dwconv_3x3_fits(const U8DwConvShape& s) {
  return s.kernel_h == 3 && s.kernel_w == 3 && s.stride_h == s.stride_w &&
         (s.stride_h == 1 || s.stride_h == 2) && s.dilation_h == 1 && s.dilation_w == 1 &&
         s.out_h >= 1 && s.out_w >= 1;
}

int64_t u8s8_dwconv_scratch_bytes(const U8DwConvShape& s) {
  if (!u8s8_dwconv_3x3_fits(s)) return 0;
  return 2 * u8s8_dwconv_plane_bytes(s) + 64;
}

int64_t u8s8_dwconv_plane_bytes(const U8DwConvShape& s) {
  const int64_t rows = (s.out_h - 1) * s.stride_h + 3;
  return (rows * padded_pitch(s) + read_slack(s) + 63) / 64 * 64;
}

int64_t u8s8_dwconv_padded_pitch(const U8DwConvShape& s) { return padded_pitch(s); }

bool u8s8_dwconv_wide_rows(const U8DwConvShape& s) { return s.out_w >= 48; }

U8S8DwConvFn u8s8_dwconv(const U8DwConvShape& s) {
  static const bool icl = cpu_features().avx512vnni && cpu_features().avx512vbmi;
  if (icl && u8s8_dwconv_3x3_fits(s)) return &u8s8_dwconv_3x3__avx512icl;
  return &u8s8_dwconv__ref;
}

}  // namespace pixlake
