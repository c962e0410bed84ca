#include "core/cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace pixlake {
namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  f.avx512bf16 = f.avx512f && __builtin_cpu_supports("avx512bf16");
  f.avx512vnni = f.avx512f && __builtin_cpu_supports("avx512vnni");
  f.avx512vbmi = f.avx512f && __builtin_cpu_supports("avx512vbmi");
#endif
  const char* cap = std::getenv("PIXLAKE_ISA");
  if (cap != nullptr && std::strcmp(cap, "generic") == 0) f = CpuFeatures{};
  if (cap != nullptr && std::strcmp(cap, "avx2") == 0)
    f.avx512f = f.avx512bf16 = f.avx512vnni = f.avx512vbmi = false;
  if (cap != nullptr && std::strcmp(cap, "avx512") == 0)
    f.avx512bf16 = f.avx512vnni = f.avx512vbmi = false;
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace pixlake
