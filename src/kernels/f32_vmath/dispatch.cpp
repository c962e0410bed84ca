#include "core/cpu_features.h"
#include "kernels/f32_vmath/vmath.h"

namespace pixlake {

VmathFn f32_vexp() {
  static const VmathFn chosen = cpu_features().avx512f ? &f32_vexp__avx512 : &f32_vexp__ref;
  return chosen;
}

VmathFn f32_verf() {
  static const VmathFn chosen = cpu_features().avx512f ? &f32_verf__avx512 : &f32_verf__ref;
  return chosen;
}

VmathFn f32_vgelu() {
  static const VmathFn chosen = cpu_features().avx512f ? &f32_vgelu__avx512 : &f32_vgelu__ref;
  return chosen;
}

}  // namespace pixlake
