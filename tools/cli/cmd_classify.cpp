// `pixlake classify --model NAME|FILE.onnx IMAGES... [--top K] [--json]`
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "args.h"
#include "commands.h"
#include "core/json_text.h"
#include "image_batches.h"
#include "service/embedder.h"

namespace pixlake::cli {
namespace {

// Class names when the model has them; classify then prints "class N" for each index.
std::vector<std::string> load_labels(const ModelSpec& spec) {
  auto labels = load_model_labels(spec);
  return labels.is_ok() ? std::move(labels).value() : std::vector<std::string>();
}

}  // namespace

int cmd_classify(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--model", "--top", "--batch"}, .switches = {"--json"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (!args->has("--model")) return fail("classify: --model is required");
  if (args->positional.empty()) return fail("classify: no images given");
  int top = 5;
  int batch = 16;
  for (Status status :
       {read_positive_int(*args, "--top", &top), read_positive_int(*args, "--batch", &batch)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  auto embedder = Embedder::open(args->get("--model"));
  if (!embedder.is_ok()) return fail(embedder.status().message());
  std::vector<std::string> labels = load_labels((*embedder)->spec());
  const bool json = args->has("--json");
  const auto& paths = args->positional;
  if (json) std::printf("[");
  Status status =
      for_each_image_batch(paths, batch, [&](size_t first, const std::vector<Image>& images) {
        PIXLAKE_ASSIGN_OR_RETURN(Tensor probs, (*embedder)->classify(images));
        const int64_t k = probs.dim(1);
        for (size_t row = 0; row < images.size(); ++row) {
          const float* p = probs.data<float>() + row * k;
          std::vector<int64_t> order(static_cast<size_t>(k));
          std::iota(order.begin(), order.end(), 0);
          const int64_t shown = std::min<int64_t>(top, k);
          std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                            [&](int64_t a, int64_t b) { return p[a] > p[b]; });
          const std::string& path = paths[first + row];
          if (json) {
            std::printf("%s{\"image\":%s,\"top\":[", first + row ? "," : "",
                        json_quote(path).c_str());
          } else {
            std::printf("%s\n", path.c_str());
          }
          for (int64_t i = 0; i < shown; ++i) {
            int64_t c = order[i];
            std::string label =
                c < static_cast<int64_t>(labels.size()) ? labels[c] : "class " + std::to_string(c);
            if (json) {
              std::printf("%s{\"class\":%lld,\"label\":%s,\"probability\":%.6f}", i ? "," : "",
                          static_cast<long long>(c), json_quote(label).c_str(), p[c]);
            } else {
              std::printf("  %6.2f%%  %4lld  %s\n", 100.0 * p[c], static_cast<long long>(c),
                          label.c_str());
            }
          }
          if (json) std::printf("]}");
        }
        return Status::ok();
      });
  if (json) std::printf("]\n");
  if (!status.is_ok()) return fail(status.message());
  return 0;
}

}  // namespace pixlake::cli
