#include "service/inference_bench.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <vector>

#include "core/blas_threads.h"
#include "core/process_memory.h"
#include "kernels/f32_gemm/gemm.h"
#include "pixlake/engine.h"

namespace pixlake {
namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Single-thread float32 GEMM rate on a cache-friendly product (the project's kernel, or
// OpenBLAS without AVX-512), best of ~0.3 s: the "peak" the percentages refer to.
double measure_peak_gflops() {
  const int64_t m = 192, n = 768, k = 768;
  std::vector<float> a(static_cast<size_t>(m * k), 0.5f), b(static_cast<size_t>(k * n), 0.25f);
  std::vector<float> c(static_cast<size_t>(m * n));
  const GemmShape s{m, n, k, k, n, n};
  std::vector<float> scratch(static_cast<size_t>(f32_gemm_scratch_floats(s)));
  const Clamp none{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  const ScopedBlasThreads one_thread(1);
  double best = std::numeric_limits<double>::infinity();
  const double start = now_ms();
  while (now_ms() - start < 300) {
    const double t0 = now_ms();
    if (const GemmFn gemm = f32_gemm()) {
      gemm(s, a.data(), b.data(), nullptr, none, scratch.data(), c.data());
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0f, a.data(),
                  int(k), b.data(), int(n), 0.0f, c.data(), int(n));
    }
    best = std::min(best, now_ms() - t0);
  }
  return 2.0 * double(m) * double(n) * double(k) / best / 1e6;
}

}  // namespace

Result<InferenceBenchReport> run_inference_bench(const InferenceBenchOptions& options) {
  if (options.batch < 1 || options.threads < 1 || options.iters < 1 || options.warmup < 0) {
    return invalid_argument("batch, threads and iters must be >= 1, warmup >= 0");
  }
  InferenceBenchReport report;
  report.peak_gflops = measure_peak_gflops() * options.threads;
  EngineOptions engine_options;
  engine_options.threads = options.threads;
  engine_options.precision = options.precision;
  engine_options.winograd = options.winograd;
  const double load_start = now_ms();
  PIXLAKE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                           Engine::load(options.model_path, engine_options));
  report.load_ms = now_ms() - load_start;
  if (engine->inputs().size() != 1) {
    return unsupported("model '" + options.model_path + "' has " +
                       std::to_string(engine->inputs().size()) +
                       " inputs; pixlake bench feeds models with one");
  }
  const TensorInfo& in = engine->inputs()[0];
  if (!in.has_shape || in.shape.empty()) {
    return unsupported("input '" + in.name + "' has no declared shape");
  }
  Shape shape = in.shape;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d == 0 && shape[d] < 0) {
      shape[d] = options.batch;
    } else if (d == 0 && shape[d] != options.batch) {
      return invalid_argument("input '" + in.name + "' has a fixed batch of " +
                              std::to_string(shape[d]) + "; pass --batch " +
                              std::to_string(shape[d]));
    } else if (shape[d] < 0) {
      return unsupported("input '" + in.name + "' has a dynamic dimension " + std::to_string(d) +
                         " besides the batch; pixlake bench cannot choose its size");
    }
  }
  if (in.dtype != DType::kF32) {
    return unsupported("input '" + in.name + "' is " + dtype_name(in.dtype) +
                       "; pixlake bench feeds float32 inputs");
  }
  Tensor x = Tensor::uninitialized(DType::kF32, shape);
  std::mt19937 rng(0);
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = normal(rng);
  report.input = in.name + " " + shape_to_string(shape);
  const std::vector<std::pair<std::string, Tensor>> feeds = {{in.name, x}};
  std::vector<std::string> outputs;
  for (const TensorInfo& out : engine->outputs()) outputs.push_back(out.name);

  std::vector<double> ms;
  for (int i = 0; i < options.warmup + options.iters; ++i) {
    const double t0 = now_ms();
    auto out = engine->run(feeds, outputs);
    const double t = now_ms() - t0;
    if (!out.is_ok()) return out.status().with_context("model '" + options.model_path + "'");
    if (i >= options.warmup) ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  report.ms_per_batch = ms[ms.size() / 2];
  report.ms_per_image = report.ms_per_batch / static_cast<double>(options.batch);
  report.images_per_s = 1000.0 / report.ms_per_image;
  report.peak_rss_mb = peak_rss_mb();
  // One image: the count is per image whatever the batch.
  Shape one = shape;
  one[0] = 1;
  Tensor x1 = Tensor::uninitialized(DType::kF32, one);
  std::copy(x.data<float>(), x.data<float>() + x1.numel(), x1.data<float>());
  PIXLAKE_ASSIGN_OR_RETURN(const double flops, engine->count_flops({{in.name, x1}}));
  report.gflop_per_image = flops / 1e9;
  report.gflops = report.gflop_per_image * report.images_per_s;
  report.percent_of_peak = report.peak_gflops > 0 ? 100.0 * report.gflops / report.peak_gflops : 0;
  return report;
}

}  // namespace pixlake
