// `pixlake embed --model NAME|FILE.onnx [--layer TENSOR] IMAGES... -o OUT.npy`
#include <cstring>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "core/npy.h"
#include "image_batches.h"
#include "service/embedder.h"

namespace pixlake::cli {

int cmd_embed(const std::vector<std::string>& argv) {
  auto args =
      parse_args(argv, {.valued = {"--model", "--layer", "-o", "--output", "--batch", "--list"}});
  if (!args.is_ok()) return fail(args.status().message());
  std::string out_path = args->get("-o", args->get("--output"));
  if (!args->has("--model")) return fail("embed: --model is required");
  if (out_path.empty()) return fail("embed: -o OUT.npy is required");
  std::vector<std::string> paths = args->positional;
  if (args->has("--list")) {
    auto listed = read_path_list(args->get("--list"));
    if (!listed.is_ok()) return fail(listed.status().message());
    paths.insert(paths.end(), listed->begin(), listed->end());
  }
  if (paths.empty()) return fail("embed: no images given");
  int batch = 16;
  if (Status status = read_positive_int(*args, "--batch", &batch); !status.is_ok()) {
    return fail(status.message());
  }
  auto embedder = Embedder::open(args->get("--model"), args->get("--layer"));
  if (!embedder.is_ok()) return fail(embedder.status().message());

  Tensor all;
  Status status =
      for_each_image_batch(paths, batch, [&](size_t first, const std::vector<Image>& images) {
        PIXLAKE_ASSIGN_OR_RETURN(Tensor rows, (*embedder)->embed(images));
        if (!all.defined())
          all = Tensor(DType::kF32, {static_cast<int64_t>(paths.size()), rows.dim(1)});
        std::memcpy(all.data<float>() + first * rows.dim(1), rows.data<float>(), rows.nbytes());
        return Status::ok();
      });
  if (!status.is_ok()) return fail(status.message());
  if (Status s = write_npy(out_path, all); !s.is_ok()) return fail(s.message());
  std::ofstream order(out_path + ".txt");
  for (const std::string& p : paths) order << p << "\n";
  if (!order) return fail("cannot write '" + out_path + ".txt'");
  std::fprintf(stderr, "wrote %zu x %lld embeddings (%s, layer %s) to %s\n", paths.size(),
               static_cast<long long>(all.dim(1)), (*embedder)->spec().name.c_str(),
               (*embedder)->layer().c_str(), out_path.c_str());
  return 0;
}

}  // namespace pixlake::cli
