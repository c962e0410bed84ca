// pixlake_infer: times pixlake's Engine::run on one ONNX file and prints one JSON line, the
// pixlake side of bench/inference (ort_infer.mjs is the ONNX Runtime side; inference_bench.py
// runs both, interleaved, on the same file and input and prints the ratios).
//
//   pixlake_infer --model M.onnx [--input NAME] [--data IN.npy] --batch N --threads T
//                 --precision fp32|bf16 [--dequantize] [--no-winograd] --warmup W --iters I
//                 [--output NAME] [--save-output OUT.npy] [--seed S] [--label TEXT]
//
// Timed: Engine::run only (input already in memory, output tensors returned), one call per
// iteration, the same way ort_infer.mjs times session.run. Model load is reported separately.
// Without --data the input is standard-normal floats from --seed (the driver always passes
// --data so that every side sees the same bytes).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/blas_threads.h"
#include "core/cpu_features.h"
#include "core/json_text.h"
#include "core/npy.h"
#include "core/process_memory.h"
#include "pixlake/engine.h"

namespace {

using pixlake::Result;
using pixlake::Status;
using pixlake::Tensor;

// What --threads reaches, said on every JSON line rather than in a footnote: the engine's pool
// splits only the convolution GEMMs so far.
constexpr const char* kThreadsNote =
    "--threads sets EngineOptions::threads: a batch of several images runs one image per pool "
    "thread where the graph treats images separately (batch split); otherwise the pool splits "
    "convolutions, Winograd, GEMMs, element-wise, LayerNorm, Softmax and pooling work; "
    "OpenBLAS (attention's batched MatMul) gets the same count";

struct Args {
  std::string model;
  std::string input;  // empty: the model's first input
  std::string data;   // .npy; empty: seeded normal data
  std::string output;
  std::string save_output;
  std::string precision = "fp32";
  std::string label;
  bool dequantize = false;
  bool winograd = true;  // EngineOptions::winograd
  int64_t batch = 1;
  int threads = 1;
  int warmup = 3;
  int iters = 10;
  uint32_t seed = 0;
};

void usage(FILE* to) {
  std::fputs(
      "usage: pixlake_infer --model M.onnx [--input NAME] [--data IN.npy] --batch N --threads T\n"
      "                     --precision fp32|bf16 [--dequantize] [--no-winograd] --warmup W "
      "--iters I\n"
      "                     [--output NAME] [--save-output OUT.npy] [--seed S] [--label TEXT]\n",
      to);
}

bool parse_int(const std::string& text, int64_t min_value, int64_t* out) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min_value) return false;
  *out = value;
  return true;
}

Result<Args> parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      usage(stdout);
      std::exit(0);
    }
    if (flag == "--dequantize") {
      args.dequantize = true;
      continue;
    }
    if (flag == "--no-winograd") {
      args.winograd = false;
      continue;
    }
    if (i + 1 >= argc) return pixlake::invalid_argument(flag + " needs a value");
    std::string value = argv[++i];
    int64_t number = 0;
    auto integer = [&](int64_t min_value) -> Status {
      if (!parse_int(value, min_value, &number))
        return pixlake::invalid_argument(
            flag + " expects an integer >= " + std::to_string(min_value) + ", got '" + value + "'");
      return Status::ok();
    };
    if (flag == "--model") {
      args.model = value;
    } else if (flag == "--input") {
      args.input = value;
    } else if (flag == "--data") {
      args.data = value;
    } else if (flag == "--output") {
      args.output = value;
    } else if (flag == "--save-output") {
      args.save_output = value;
    } else if (flag == "--precision") {
      args.precision = value;
    } else if (flag == "--label") {
      args.label = value;
    } else if (flag == "--batch") {
      PIXLAKE_RETURN_IF_ERROR(integer(1));
      args.batch = number;
    } else if (flag == "--threads") {
      PIXLAKE_RETURN_IF_ERROR(integer(1));
      args.threads = static_cast<int>(number);
    } else if (flag == "--warmup") {
      PIXLAKE_RETURN_IF_ERROR(integer(0));
      args.warmup = static_cast<int>(number);
    } else if (flag == "--iters") {
      PIXLAKE_RETURN_IF_ERROR(integer(1));
      args.iters = static_cast<int>(number);
    } else if (flag == "--seed") {
      PIXLAKE_RETURN_IF_ERROR(integer(0));
      args.seed = static_cast<uint32_t>(number);
    } else {
      return pixlake::invalid_argument("unknown argument '" + flag + "' (see --help)");
    }
  }
  if (args.model.empty()) return pixlake::invalid_argument("--model is required");
  if (args.precision != "fp32" && args.precision != "bf16")
    return pixlake::invalid_argument("--precision must be fp32 or bf16, got '" + args.precision +
                                     "'");
  return args;
}

// Resident set size now, from /proc/self/statm; -1 when unreadable.
double resident_mb() {
  std::ifstream statm("/proc/self/statm");
  long long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return -1;
  return static_cast<double>(pages_resident) * 4096.0 / (1024.0 * 1024.0);
}

// The input: the .npy converted to the model input's dtype, or seeded normal data shaped like
// the model's input with the batch dimension set to --batch.
Result<Tensor> make_input(const Args& args, const pixlake::TensorInfo& info) {
  pixlake::DType want =
      info.dtype == pixlake::DType::kUndefined ? pixlake::DType::kF32 : info.dtype;
  if (!args.data.empty()) {
    PIXLAKE_ASSIGN_OR_RETURN(Tensor data, pixlake::read_npy(args.data));
    if (data.rank() == 0 || data.dim(0) != args.batch)
      return pixlake::invalid_argument("--data '" + args.data + "' has shape " +
                                       pixlake::shape_to_string(data.shape()) +
                                       ", expected batch " + std::to_string(args.batch) + " first");
    return data.dtype() == want ? data : pixlake::cast_tensor(data, want);
  }
  if (!info.has_shape || info.shape.empty())
    return pixlake::invalid_argument("input '" + info.name +
                                     "' has no known shape: pass --data IN.npy");
  pixlake::Shape shape = info.shape;
  shape[0] = args.batch;
  for (int64_t d : shape)
    if (d < 1)
      return pixlake::invalid_argument("input '" + info.name + "' has symbolic dimensions " +
                                       pixlake::shape_to_string(info.shape) +
                                       ": pass --data IN.npy");
  Tensor values(pixlake::DType::kF32, shape);
  std::mt19937 rng(args.seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  float* p = values.data<float>();
  for (int64_t i = 0; i < values.numel(); ++i) p[i] = normal(rng);
  return want == pixlake::DType::kF32 ? values : pixlake::cast_tensor(values, want);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Status run(const Args& args) {
  double baseline_rss = resident_mb();
  // Before load: OpenBLAS may size buffers from its thread count at the first call.
  pixlake::set_blas_threads(args.threads);

  pixlake::EngineOptions options;
  options.dequantize = args.dequantize;
  options.winograd = args.winograd;
  options.threads = args.threads;
  options.precision =
      args.precision == "bf16" ? pixlake::Precision::kBf16 : pixlake::Precision::kFp32;
  auto t_load = std::chrono::steady_clock::now();
  PIXLAKE_ASSIGN_OR_RETURN(std::unique_ptr<pixlake::Engine> engine,
                           pixlake::Engine::load(args.model, options));
  double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_load).count();

  const auto& inputs = engine->inputs();
  if (inputs.empty()) return pixlake::invalid_argument("model has no inputs");
  const pixlake::TensorInfo* input = &inputs[0];
  if (!args.input.empty()) {
    auto it = std::find_if(inputs.begin(), inputs.end(),
                           [&](const pixlake::TensorInfo& t) { return t.name == args.input; });
    if (it == inputs.end())
      return pixlake::not_found("'" + args.input + "' is not an input of '" + args.model + "'");
    input = &*it;
  }
  if (inputs.size() != 1)
    return pixlake::unsupported("model has " + std::to_string(inputs.size()) +
                                " inputs; pixlake_infer feeds one");
  std::string output = args.output.empty() ? engine->outputs().at(0).name : args.output;
  PIXLAKE_ASSIGN_OR_RETURN(Tensor data, make_input(args, *input));
  std::vector<std::pair<std::string, Tensor>> feeds = {{input->name, data}};

  std::vector<Tensor> last;
  for (int i = 0; i < args.warmup; ++i) {
    PIXLAKE_ASSIGN_OR_RETURN(last, engine->run(feeds, {output}));
  }
  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(args.iters));
  for (int i = 0; i < args.iters; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    PIXLAKE_ASSIGN_OR_RETURN(last, engine->run(feeds, {output}));
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  if (!args.save_output.empty()) {
    const Tensor& out = last.at(0);
    Tensor as_float =
        out.dtype() == pixlake::DType::kF32 ? out : pixlake::cast_tensor(out, pixlake::DType::kF32);
    PIXLAKE_RETURN_IF_ERROR(pixlake::write_npy(args.save_output, as_float));
  }

  double med = median(ms);
  double best = *std::min_element(ms.begin(), ms.end());
  const auto& cpu = pixlake::cpu_features();
  std::printf(
      "{\"side\": \"pixlake\", \"label\": %s, \"model\": %s, \"input\": %s, \"output\": %s, "
      "\"output_shape\": %s, \"batch\": %lld, \"threads\": %d, \"precision\": %s, "
      "\"dequantize\": %s, \"winograd\": %s, \"bf16_hardware\": %s, \"warmup\": %d, \"iters\": %d, "
      "\"load_ms\": %.1f, \"ms_per_batch_median\": %.4f, \"ms_per_batch_min\": %.4f, "
      "\"ms_per_image_median\": %.4f, \"images_per_s\": %.3f, \"baseline_rss_mb\": %.1f, "
      "\"peak_rss_mb\": %.1f, \"blas_threads\": %d, \"pixlake_threads_note\": %s}\n",
      pixlake::json_quote(args.label).c_str(), pixlake::json_quote(args.model).c_str(),
      pixlake::json_quote(input->name).c_str(), pixlake::json_quote(output).c_str(),
      pixlake::json_quote(pixlake::shape_to_string(last.at(0).shape())).c_str(),
      static_cast<long long>(args.batch), args.threads, pixlake::json_quote(args.precision).c_str(),
      args.dequantize ? "true" : "false", args.winograd ? "true" : "false",
      cpu.avx512bf16 ? "true" : "false", args.warmup, args.iters, load_ms, med, best,
      med / static_cast<double>(args.batch), 1000.0 * static_cast<double>(args.batch) / med,
      baseline_rss, pixlake::peak_rss_mb(), pixlake::blas_threads(),
      pixlake::json_quote(kThreadsNote).c_str());
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse_args(argc, argv);
  if (!args.is_ok()) {
    std::fprintf(stderr, "pixlake_infer: %s\n", args.status().message().c_str());
    usage(stderr);
    return 2;
  }
  Status status = run(*args);
  if (!status.is_ok()) {
    std::fprintf(stderr, "pixlake_infer: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
