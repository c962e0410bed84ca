// `pixlake bovw train LAKE` and `pixlake bovw LAKE`: the Bag of Visual Words model of a lake.
#include <chrono>
#include <cstdio>
#include <memory>

#include "args.h"
#include "commands.h"
#include "lake/lake_bovw.h"
#include "progress_bar.h"

namespace pixlake::cli {

namespace {

constexpr const char* kUsage =
    "bovw: usage: pixlake bovw train LAKE [--words 1000] [--sample N] [--seed S] [--jobs N] "
    "[--max-side 160] [--grid-step 4] | "
    "pixlake bovw LAKE [--jobs N]";

void print_report(const BovwReport& report, bool trained) {
  for (const auto& f : report.failures) {
    std::fprintf(stderr, "pixlake: bovw: skipped %s: %s\n", f.path.c_str(), f.error.c_str());
  }
  if (trained) {
    std::printf("vocabulary: %d words from %lld descriptors of %lld images\n", report.words,
                static_cast<long long>(report.training_descriptors),
                static_cast<long long>(report.training_images));
  }
  std::printf("embedded %lld images with bovw (%d-d), %zu skipped, %.1fs\n",
              static_cast<long long>(report.embedded), report.words, report.failures.size(),
              report.seconds);
}

}  // namespace

int cmd_bovw(const std::vector<std::string>& argv) {
  auto args = parse_args(
      argv, {.valued = {"--words", "--sample", "--seed", "--jobs", "--max-side", "--grid-step"}});
  if (!args.is_ok()) return fail(args.status().message());
  const bool train = !args->positional.empty() && args->positional[0] == "train";
  if (args->positional.size() != (train ? 2u : 1u)) return fail(kUsage);
  if (!train) {
    for (const char* flag : {"--words", "--sample", "--max-side", "--grid-step", "--seed"}) {
      if (args->has(flag)) {
        return fail(std::string("bovw: ") + flag +
                    " applies only to 'bovw train' (embedding reuses the vocabulary's settings)");
      }
    }
  }
  BovwOptions options;
  for (Status status :
       {read_positive_int(*args, "--words", &options.words, 1 << 20),
        read_positive_int(*args, "--sample", &options.sample, int64_t{1} << 32),
        read_positive_int(*args, "--seed", &options.seed, int64_t{1} << 62),
        read_positive_int(*args, "--jobs", &options.jobs, 256),
        read_positive_int(*args, "--max-side", &options.features.max_side, 16384),
        read_positive_int(*args, "--grid-step", &options.features.grid_step, 1024)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  const std::string dir = args->positional.back();
  auto lake = Lake::open(dir, Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  // One bar per stage (sampling, training, counting, embedding).
  std::unique_ptr<ProgressBar> bar;
  std::string stage;
  auto stage_start = std::chrono::steady_clock::now();
  options.on_progress = [&](const BovwProgress& p) {
    if (stage != p.stage) {
      if (bar) bar->finish();
      stage = p.stage;
      bar = std::make_unique<ProgressBar>(std::string("bovw ") + p.stage, stderr_is_terminal());
      stage_start = std::chrono::steady_clock::now();
    }
    bar->update(
        p.done, p.total, p.failed,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start).count());
  };
  auto report = train ? train_bovw(**lake, options) : embed_bovw(**lake, options);
  if (bar) bar->finish();
  if (!report.is_ok()) return fail(report.status().message());
  print_report(*report, train);
  return 0;
}

}  // namespace pixlake::cli
