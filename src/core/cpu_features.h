// What the CPU can run, read once. Kernels with several builds (src/kernels/*/) pick theirs
// from this at first use. PIXLAKE_ISA=generic|avx2|avx512 caps the level, to compare kernels
// or to reproduce a bug seen on an older machine.
#pragma once

namespace pixlake {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;     // with BW, DQ and VL: the set the avx512 kernel builds assume
  bool avx512bf16 = false;  // AVX512_BF16 (vdpbf16ps) on top of avx512f
  bool avx512vnni = false;  // AVX512_VNNI (vpdpbusd) on top of avx512f
  bool avx512vbmi = false;  // AVX512_VBMI (vpermb) on top of avx512f
};

const CpuFeatures& cpu_features();

}  // namespace pixlake
