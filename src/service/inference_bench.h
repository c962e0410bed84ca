// `pixlake bench`: one model's inference speed on this machine, measured the way
// bench/inference measures it (the engine's run() on an input already in memory), with the
// figures the issue asks for: ms per image, images/s, GFLOP/s, % of the measured float32 peak,
// peak RSS. The side-by-side comparison with ONNX Runtime stays in bench/inference.
#pragma once

#include <cstdint>
#include <string>

#include "pixlake/precision.h"
#include "pixlake/status.h"

namespace pixlake {

struct InferenceBenchOptions {
  std::string model_path;
  int64_t batch = 1;
  int threads = 1;
  Precision precision = Precision::kFp32;
  int warmup = 2;
  int iters = 10;
  bool winograd = true;
};

struct InferenceBenchReport {
  std::string input;  // the fed input's name and shape, e.g. "input [8,3,224,224]"
  double load_ms = 0;
  double ms_per_batch = 0;  // median over iters
  double ms_per_image = 0;
  double images_per_s = 0;
  double gflop_per_image = 0;  // convolutions and matrix products (Engine::count_flops)
  double gflops = 0;           // achieved
  double peak_gflops = 0;      // measured float32 GEMM peak, one thread, times threads
  double percent_of_peak = 0;
  double peak_rss_mb = 0;  // VmHWM before the FLOP-counting run
};

Result<InferenceBenchReport> run_inference_bench(const InferenceBenchOptions& options);

}  // namespace pixlake
