// pixlake map LAKE -o map.png: a 2-D map of a lake's embeddings (src/lake/lake_map.h).
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "lake/lake_map.h"

namespace pixlake::cli {

int cmd_map(const std::vector<std::string>& argv) {
  auto args =
      parse_args(argv, {.valued = {"-o", "--model", "--where", "--sample", "--method", "--color-by",
                                   "--coords", "--size", "--seed", "--threads"},
                        .switches = {"--thumbs"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1 || (!args->has("-o") && !args->has("--coords"))) {
    return fail(
        "map: usage: pixlake map LAKE -o MAP.png [--coords OUT.json] [--model M] [--where EXPR] "
        "[--sample N] [--method umap|pca] [--thumbs] [--color-by PREFIX] [--size 2048]");
  }
  MapOptions options;
  options.model = args->get("--model");
  options.where = args->get("--where");
  options.png_path = args->get("-o");
  options.coords_path = args->get("--coords");
  options.color_by = args->get("--color-by");
  options.thumbs = args->has("--thumbs");
  const std::string method = args->get("--method", "umap");
  if (method == "umap") {
    options.method = MapMethod::kUmap;
  } else if (method == "pca") {
    options.method = MapMethod::kPca;
  } else {
    return fail("map: --method must be umap or pca, got '" + method + "'");
  }
  for (Status status : {read_positive_int(*args, "--sample", &options.sample, int64_t{10'000'000}),
                        read_positive_int(*args, "--size", &options.size, 16384),
                        read_positive_int(*args, "--seed", &options.seed, int64_t{1} << 62),
                        read_positive_int(*args, "--threads", &options.threads, 1024)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  if (options.size < 256)
    return fail("map: --size must be at least 256, got " + args->get("--size"));
  auto lake = Lake::open(args->positional[0], Lake::Access::kRead);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto report = make_lake_map(**lake, options);
  if (!report.is_ok()) return fail(report.status().message());
  std::printf("map of %lld images (of %lld) of model %s, %lld groups, %s in %.1fs\n",
              static_cast<long long>(report->drawn), static_cast<long long>(report->matched),
              report->model.c_str(), static_cast<long long>(report->groups), method.c_str(),
              report->seconds);
  if (report->trustworthiness >= 0) {
    std::printf("trustworthiness(k=%d) %.4f\n", report->trust_k, report->trustworthiness);
  }
  if (!options.png_path.empty()) std::printf("picture      %s\n", options.png_path.c_str());
  if (!options.coords_path.empty()) std::printf("coordinates  %s\n", options.coords_path.c_str());
  if (!report->lake_coords_path.empty())
    std::printf("stored       %s\n", report->lake_coords_path.c_str());
  return 0;
}

}  // namespace pixlake::cli
