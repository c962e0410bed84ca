// pixlake index LAKE: builds or extends the vector index of a lake's model.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "lake/lake_index.h"

namespace pixlake::cli {

int cmd_index(const std::vector<std::string>& argv) {
  auto args = parse_args(
      argv, {.valued = {"--model", "--factory", "--threads"}, .switches = {"--rebuild"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) {
    return fail(
        "index: usage: pixlake index LAKE [--model M] [--factory HNSW32,SQ8] [--threads N] "
        "[--rebuild]");
  }
  LakeIndexOptions options;
  options.factory = args->get("--factory", options.factory);
  options.rebuild = args->has("--rebuild");
  if (Status s = read_positive_int(*args, "--threads", &options.threads, 1024); !s.is_ok()) {
    return fail(s.message());
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto model = (*lake)->resolve_model_name(args->get("--model"));
  if (!model.is_ok()) return fail(model.status().message());
  auto report = update_lake_index(**lake, *model, options);
  if (!report.is_ok()) return fail(report.status().message());
  std::printf("index %s of model %s: added %lld rows, %lld vectors in %.1fs\n",
              report->description.c_str(), model->c_str(), static_cast<long long>(report->added),
              static_cast<long long>(report->covered), report->seconds);
  return 0;
}

}  // namespace pixlake::cli
