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

namespace {

// Float against 16-bit values, each widened by `Widen` (IEEE half or bfloat16).
template <float (*Widen)(uint16_t)>
float half_l2sq(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float d = a[i] - Widen(b[i]);
    sum += d * d;
  }
  return sum;
}

template <float (*Widen)(uint16_t)>
float half_dot(const float* a, const uint16_t* b, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += a[i] * Widen(b[i]);
  return sum;
}

}  // namespace

float f16_l2sq__ref(const float* a, const uint16_t* b, int64_t n) {
  return half_l2sq<f16_to_f32>(a, b, n);
}
float f16_dot__ref(const float* a, const uint16_t* b, int64_t n) {
  return half_dot<f16_to_f32>(a, b, n);
}
float bf16_l2sq__ref(const float* a, const uint16_t* b, int64_t n) {
  return half_l2sq<bf16_to_f32>(a, b, n);
}
float bf16_dot__ref(const float* a, const uint16_t* b, int64_t n) {
  return half_dot<bf16_to_f32>(a, b, n);
}

int32_t u8s8_dot__ref(const uint8_t* q, const int8_t* c, int64_t n) {
  int32_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += int32_t{q[i]} * int32_t{c[i]};
  return sum;
}

}  // namespace pixlake
