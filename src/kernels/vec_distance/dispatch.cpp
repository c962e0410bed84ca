#include "core/cpu_features.h"
#include "kernels/vec_distance/distance.h"

namespace pixlake {
namespace {

DistanceKernels choose() {
  const CpuFeatures& cpu = cpu_features();
  if (!cpu.avx512f) {
    return {&f32_l2sq__ref,  &f32_dot__ref,  &f16_l2sq__ref, &f16_dot__ref,
            &bf16_l2sq__ref, &bf16_dot__ref, &u8s8_dot__ref};
  }
  return {&f32_l2sq__avx512,
          &f32_dot__avx512,
          &f16_l2sq__avx512,
          &f16_dot__avx512,
          &bf16_l2sq__avx512,
          &bf16_dot__avx512,
          cpu.avx512vnni ? &u8s8_dot__avx512vnni : &u8s8_dot__avx512};
}

}  // namespace

const DistanceKernels& distance_kernels() {
  static const DistanceKernels chosen = choose();
  return chosen;
}

}  // namespace pixlake
