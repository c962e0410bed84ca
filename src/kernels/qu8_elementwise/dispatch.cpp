#include "core/cpu_features.h"
#include "kernels/qu8_elementwise/elementwise.h"

namespace pixlake {

QU8AddFn qu8_vadd() {
  static const QU8AddFn chosen = cpu_features().avx512f ? &qu8_vadd__avx512 : &qu8_vadd__ref;
  return chosen;
}

F32QU8CvtFn f32_qu8_vcvt() {
  static const F32QU8CvtFn chosen =
      cpu_features().avx512f ? &f32_qu8_vcvt__avx512 : &f32_qu8_vcvt__ref;
  return chosen;
}

}  // namespace pixlake
