#include "core/cpu_features.h"
#include "kernels/f32_winograd/winograd.h"

namespace pixlake {

WinogradInputFn f32_winograd43_input() {
  static const WinogradInputFn chosen =
      cpu_features().avx512f ? &f32_winograd43_input__avx512 : &f32_winograd43_input__ref;
  return chosen;
}

WinogradOutputFn f32_winograd43_output() {
  static const WinogradOutputFn chosen =
      cpu_features().avx512f ? &f32_winograd43_output__avx512 : &f32_winograd43_output__ref;
  return chosen;
}

}  // namespace pixlake
