// `pixlake models [NAME|FILE.onnx]`
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "service/embedder.h"

namespace pixlake::cli {
namespace {

std::string shape_text(const TensorInfo& t) {
  if (!t.has_shape) return "?";
  std::string s = "[";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    s += (i ? "," : "") + (t.shape[i] < 0 ? std::string("?") : std::to_string(t.shape[i]));
  }
  return s + "]";
}

void print_model(const Embedder& e) {
  const ModelSpec& s = e.spec();
  const PreprocessSpec& p = s.preprocess;
  std::printf("model       %s\n", s.name.c_str());
  std::printf("about       %s\n", s.description.c_str());
  std::printf("opset       %d\n", e.engine().opset());
  std::printf(
      "preprocess  resize shorter side to %d (%s), centre crop %dx%d, %s, x*%g, mean (%g,%g,%g), "
      "std (%g,%g,%g)\n",
      p.resize_shorter, p.interpolation == Interpolation::kArea ? "area" : "bilinear", p.crop,
      p.crop, p.channel_order == ChannelOrder::kRGB ? "RGB" : "BGR", p.scale, p.mean[0], p.mean[1],
      p.mean[2], p.stddev[0], p.stddev[1], p.stddev[2]);
  std::printf("embedding   %s (global average pooled, L2-normalised)\n", e.layer().c_str());
  std::printf("classifier  %s%s\n", s.classifier_output.c_str(),
              s.output_is_probability ? " (probabilities)" : " (logits)");
  for (const TensorInfo& t : e.engine().inputs()) {
    std::printf("input       %s %s%s\n", t.name.c_str(), dtype_name(t.dtype),
                shape_text(t).c_str());
  }
  for (const TensorInfo& t : e.engine().outputs()) {
    std::printf("output      %s %s%s\n", t.name.c_str(), dtype_name(t.dtype),
                shape_text(t).c_str());
  }
  std::printf("layers (usable with --layer):\n");
  for (const TensorInfo& t : e.engine().tensors()) {
    if (t.producer == "input") continue;
    std::printf("  %-40s %-12s %s%s\n", t.name.c_str(), t.producer.c_str(),
                t.dtype == DType::kUndefined ? "" : dtype_name(t.dtype), shape_text(t).c_str());
  }
}

}  // namespace

int cmd_models(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.empty()) {
    for (const ModelSpec& m : builtin_models()) {
      auto path = locate_model_file(m);
      std::printf("%-12s %s\n             %s\n", m.name.c_str(), m.description.c_str(),
                  path.is_ok() ? path->c_str() : "(not found locally)");
    }
    return 0;
  }
  for (const std::string& name : args->positional) {
    auto e = Embedder::open(name);
    if (!e.is_ok()) return fail(e.status().message());
    print_model(**e);
  }
  return 0;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "pixlake: %s\n", message.c_str());
  return 1;
}

}  // namespace pixlake::cli
