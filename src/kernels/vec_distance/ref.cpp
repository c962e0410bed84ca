#include "kernels/vec_distance/distance.h"
#include "pixlake/tensor.h"

namespace pixlake {

float f32_l2sq__ref(const float* a, const float* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return sum;
}

float f32_dot__ref(const float* a, const float* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

float f16_l2sq__ref(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float d = a[i] - f16_to_f32(b[i]);
    sum += d * d;
  }
  return sum;
}

float f16_dot__ref(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += a[i] * f16_to_f32(b[i]);
  return sum;
}

float bf16_l2sq__ref(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float d = a[i] - bf16_to_f32(b[i]);
    sum += d * d;
  }
  return sum;
}

float bf16_dot__ref(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += a[i] * bf16_to_f32(b[i]);
  return sum;
}

int32_t u8s8_dot__ref(const uint8_t* q, const int8_t* c, int64_t n) {
  int32_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += int32_t{q[i]} * int32_t{c[i]};
  return sum;
}

}  // namespace pixlake
