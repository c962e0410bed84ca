// `pixlake bench NAME|FILE.onnx [--batch N] [--threads T] [--precision fp32|bf16] [--iters I]
//                [--warmup W] [--no-winograd] [--json]`
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "core/json_text.h"
#include "models/model_registry.h"
#include "service/inference_bench.h"

namespace pixlake::cli {

int cmd_bench(const std::vector<std::string>& argv) {
  auto args =
      parse_args(argv, {.valued = {"--batch", "--threads", "--precision", "--iters", "--warmup"},
                        .switches = {"--json", "--no-winograd"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail("bench: give one model (name or FILE.onnx)");
  InferenceBenchOptions options;
  int batch = 1, threads = 1, iters = 10, warmup = 2;
  for (Status status : {read_positive_int(*args, "--batch", &batch),
                        read_positive_int(*args, "--threads", &threads),
                        read_positive_int(*args, "--iters", &iters)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  if (args->has("--warmup")) {
    const std::string text = args->get("--warmup");
    if (text == "0") {
      warmup = 0;
    } else {
      Status status = read_positive_int(*args, "--warmup", &warmup);
      if (!status.is_ok()) return fail(status.message());
    }
  }
  const std::string precision = args->get("--precision", "fp32");
  if (precision != "fp32" && precision != "bf16") {
    return fail("bench: --precision must be fp32 or bf16, got '" + precision + "'");
  }
  // A registered model name runs its file (the int8 MobileNetV2 as int8).
  const std::string model = args->positional[0];
  options.model_path = model;
  if (const ModelSpec* spec = find_model(model)) {
    auto path = locate_model_file(*spec);
    if (!path.is_ok()) return fail(path.status().message());
    options.model_path = *path;
  }
  options.batch = batch;
  options.threads = threads;
  options.iters = iters;
  options.warmup = warmup;
  options.precision = precision == "bf16" ? Precision::kBf16 : Precision::kFp32;
  options.winograd = !args->has("--no-winograd");
  auto report = run_inference_bench(options);
  if (!report.is_ok()) return fail(report.status().message());
  const InferenceBenchReport& r = *report;
  if (args->has("--json")) {
    std::printf(
        "{\"model\": %s, \"input\": %s, \"batch\": %d, \"threads\": %d, \"precision\": %s, "
        "\"load_ms\": %.1f, \"ms_per_batch\": %.3f, \"ms_per_image\": %.3f, \"images_per_s\": "
        "%.2f, \"gflop_per_image\": %.4f, \"gflops\": %.1f, \"peak_gflops\": %.1f, "
        "\"percent_of_peak\": %.1f, \"peak_rss_mb\": %.1f}\n",
        json_quote(options.model_path).c_str(), json_quote(r.input).c_str(), batch, threads,
        json_quote(precision).c_str(), r.load_ms, r.ms_per_batch, r.ms_per_image, r.images_per_s,
        r.gflop_per_image, r.gflops, r.peak_gflops, r.percent_of_peak, r.peak_rss_mb);
    return 0;
  }
  std::printf("model        %s\n", options.model_path.c_str());
  std::printf("input        %s, %d thread%s, %s\n", r.input.c_str(), threads,
              threads == 1 ? "" : "s", precision.c_str());
  std::printf("load         %.1f ms\n", r.load_ms);
  std::printf("ms / batch   %.3f (median of %d, after %d warm-up)\n", r.ms_per_batch, iters,
              warmup);
  std::printf("ms / image   %.3f\n", r.ms_per_image);
  std::printf("images / s   %.2f\n", r.images_per_s);
  std::printf("GFLOP/image  %.3f (convolutions and matrix products)\n", r.gflop_per_image);
  std::printf("GFLOP/s      %.1f = %.1f%% of %.1f (float32 GEMM peak measured here x threads)\n",
              r.gflops, r.percent_of_peak, r.peak_gflops);
  std::printf("peak RSS     %.1f MB\n", r.peak_rss_mb);
  return 0;
}

}  // namespace pixlake::cli
