// Distance kernels for the vector indexes (src/index/): float32 and float16 vectors against a
// float32 query, and the integer dot product behind SQ8 (one byte per dimension) traversal.
// Chosen once from the CPU (src/core/cpu_features.cpp); the ref versions are the plain loops
// the others are tested against.
#pragma once

#include <cstdint>

namespace pixlake {

// Sum of squared differences and dot product of n floats.
using F32DistanceFn = float (*)(const float* a, const float* b, int64_t n);
// The same with `b` stored as IEEE float16 bits.
using F16DistanceFn = float (*)(const float* a, const uint16_t* b, int64_t n);
// sum_i q[i] * (int(c[i]) - 128) over n bytes, where c holds SQ8 codes XOR 0x80 read as int8:
// the form vpdpbusd computes (unsigned x signed bytes). n is a multiple of 64 (codes are
// padded with zeros, so padding adds nothing when q's padding is zero too).
using U8DotFn = int32_t (*)(const uint8_t* q, const int8_t* c, int64_t n);

struct DistanceKernels {
  F32DistanceFn f32_l2sq;
  F32DistanceFn f32_dot;
  F16DistanceFn f16_l2sq;
  F16DistanceFn f16_dot;
  F16DistanceFn bf16_l2sq;  // `b` as bfloat16 bits
  F16DistanceFn bf16_dot;
  U8DotFn u8s8_dot;
};

const DistanceKernels& distance_kernels();

float f32_l2sq__ref(const float* a, const float* b, int64_t n);
float f32_dot__ref(const float* a, const float* b, int64_t n);
float f16_l2sq__ref(const float* a, const uint16_t* b, int64_t n);
float f16_dot__ref(const float* a, const uint16_t* b, int64_t n);
float bf16_l2sq__ref(const float* a, const uint16_t* b, int64_t n);
float bf16_dot__ref(const float* a, const uint16_t* b, int64_t n);
int32_t u8s8_dot__ref(const uint8_t* q, const int8_t* c, int64_t n);

float f32_l2sq__avx512(const float* a, const float* b, int64_t n);
float f32_dot__avx512(const float* a, const float* b, int64_t n);
float f16_l2sq__avx512(const float* a, const uint16_t* b, int64_t n);
float f16_dot__avx512(const float* a, const uint16_t* b, int64_t n);
float bf16_l2sq__avx512(const float* a, const uint16_t* b, int64_t n);
float bf16_dot__avx512(const float* a, const uint16_t* b, int64_t n);
int32_t u8s8_dot__avx512(const uint8_t* q, const int8_t* c, int64_t n);  // vpmaddubsw path
int32_t u8s8_dot__avx512vnni(const uint8_t* q, const int8_t* c, int64_t n);

}  // namespace pixlake
