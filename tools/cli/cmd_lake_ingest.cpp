// `pixlake init LAKE`, `pixlake add LAKE PATH...`, `pixlake sync LAKE`: creating a lake and
// keeping it in step with the folders it indexes.
#include <cstdio>

#include <filesystem>

#include "args.h"
#include "commands.h"
#include "lake/ingest.h"
#include "lake/lake_index.h"
#include "progress_bar.h"
#include "service/lake_service.h"

namespace pixlake::cli {

int cmd_init(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--model"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail("init: usage: pixlake init LAKE [--model NAME]");
  const std::string& dir = args->positional[0];
  // The int8 MobileNetV2 run in float32 with bf16 convolutions: faster here than its int8
  // arithmetic, and better for retrieval (docs/performance.md).
  const std::string model = args->get("--model", "mobilenetv2-bf16");
  Status status = Lake::init(dir, model);
  if (!status.is_ok()) return fail(status.message());
  std::printf("created lake %s (default model %s)\n", dir.c_str(), model.c_str());
  return 0;
}

int cmd_add(const std::vector<std::string>& argv) {
  auto args =
      parse_args(argv, {.valued = {"--model", "--jobs", "--batch", "--max-pixels", "--max-file-mb",
                                   "--tag-top", "--tag-min"},
                        .switches = {"--progress", "--no-progress", "--quiet", "--auto-tag"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.empty()) {
    return fail(
        "add: usage: pixlake add LAKE [PATH...] [--model M] [--jobs N] [--batch N] [--auto-tag "
        "[--tag-top K] [--tag-min P]]");
  }
  IngestOptions options;
  options.model = args->get("--model");
  int64_t max_file_mb = 0;
  for (Status status :
       {read_positive_int(*args, "--jobs", &options.jobs),
        read_positive_int(*args, "--batch", &options.batch),
        read_positive_int(*args, "--max-pixels", &options.limits.max_pixels, int64_t{1} << 40),
        read_positive_int(*args, "--max-file-mb", &max_file_mb, 1 << 20)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  if (max_file_mb > 0) options.limits.max_file_bytes = max_file_mb << 20;
  if ((args->has("--tag-top") || args->has("--tag-min")) && !args->has("--auto-tag")) {
    return fail("add: --tag-top and --tag-min go with --auto-tag");
  }
  if (args->has("--auto-tag")) {
    options.auto_tag = 3;
    Status top = read_positive_int(*args, "--tag-top", &options.auto_tag, 1000);
    if (!top.is_ok()) return fail(top.message());
    Status min = read_number(*args, "--tag-min", 0.0, 1.0, &options.auto_tag_min_probability);
    if (!min.is_ok()) return fail(min.message());
  }
  bool show = args->has("--progress") || (stderr_is_terminal() && !args->has("--no-progress"));
  ProgressBar bar("adding", show && !args->has("--quiet"));
  options.on_progress = [&](const IngestProgress& p) {
    bar.update(p.done, p.total, p.failed, p.seconds);
  };
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  std::vector<std::string> paths(args->positional.begin() + 1, args->positional.end());
  auto report = ingest(**lake, paths, options);
  bar.finish();
  if (!report.is_ok()) return fail(report.status().message());
  const IngestReport& r = *report;
  for (const auto& f : r.failures) {
    std::fprintf(stderr, "pixlake: skipped %s: %s\n", f.path.c_str(), f.error.c_str());
  }
  double rate = r.seconds > 0 ? static_cast<double>(r.embedded) / r.seconds : 0.0;
  if (!args->has("--quiet")) {
    std::printf(
        "added %lld, updated %lld, moved %lld, touched %lld, unchanged %lld, failed %zu, "
        "not images %lld; embedded %lld in %.1fs (%.1f images/s)\n",
        static_cast<long long>(r.added), static_cast<long long>(r.updated),
        static_cast<long long>(r.moved), static_cast<long long>(r.touched),
        static_cast<long long>(r.unchanged), r.failures.size(),
        static_cast<long long>(r.skipped_not_image), static_cast<long long>(r.embedded), r.seconds,
        rate);
  }
  // A lake with an index keeps it covering every image (search stays exact-correct without
  // this, only slower, so a failure here is reported but does not fail the run).
  auto model = (*lake)->resolve_model_name(options.model);
  if (model.is_ok() && std::filesystem::exists(lake_index_path((*lake)->dir(), *model))) {
    auto indexed = update_lake_index(**lake, *model, LakeIndexOptions{});
    if (!indexed.is_ok()) {
      std::fprintf(stderr, "pixlake: index not updated: %s\n", indexed.status().message().c_str());
    } else if (!args->has("--quiet")) {
      std::printf("index %s: added %lld rows in %.1fs\n", indexed->description.c_str(),
                  static_cast<long long>(indexed->added), indexed->seconds);
    }
  }
  // Unreadable files are reported, not fatal: the run succeeded in adding everything else.
  return 0;
}

int cmd_sync(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.switches = {"--keep-missing"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail("sync: usage: pixlake sync LAKE [--keep-missing]");
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto report = sync_lake(**lake, args->has("--keep-missing"));
  if (!report.is_ok()) return fail(report.status().message());
  std::printf("checked %lld, missing %lld, %s %lld\n", static_cast<long long>(report->checked),
              static_cast<long long>(report->missing),
              args->has("--keep-missing") ? "tagged 'missing'" : "removed",
              static_cast<long long>(report->removed));
  return 0;
}

}  // namespace pixlake::cli
