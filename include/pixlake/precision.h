// The arithmetic an engine runs its float layers in.
#pragma once

namespace pixlake {

enum class Precision {
  kFp32,  // float32 throughout
  // Convolutions (other than depthwise) multiply bfloat16-rounded weights and activations
  // and accumulate in float32, where the CPU has AVX-512 BF16; elsewhere this is kFp32.
  kBf16,
};

}  // namespace pixlake
