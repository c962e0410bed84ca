// pixlake outliers LAKE: the most unique images (far from their k-th nearest neighbour).
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "core/json_text.h"
#include "lake/lake_uniqueness.h"

namespace pixlake::cli {

int cmd_outliers(const std::vector<std::string>& argv) {
  auto args = parse_args(
      argv, {.valued = {"--model", "-k", "--top", "--threads"}, .switches = {"--json", "--store"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) {
    return fail(
        "outliers: usage: pixlake outliers LAKE [--model M] [-k 10] [--top 20] [--threads N] "
        "[--store] [--json]");
  }
  int k = 10;
  int top = 20;
  int threads = 0;
  for (Status s : {read_positive_int(*args, "-k", &k, 1000),
                   read_positive_int(*args, "--top", &top, 1'000'000'000),
                   read_positive_int(*args, "--threads", &threads, 1024)}) {
    if (!s.is_ok()) return fail(s.message());
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto model = (*lake)->resolve_model_name(args->get("--model"));
  if (!model.is_ok()) return fail(model.status().message());
  auto scores = uniqueness_scores(**lake, *model, k, threads);
  if (!scores.is_ok()) return fail(scores.status().message());
  Catalog& catalog = (*lake)->catalog();
  if (args->has("--store")) {
    // meta "uniqueness", fixed-point so that text order is numeric order in --where.
    auto tx = catalog.begin();
    if (!tx.is_ok()) return fail(tx.status().message());
    for (const UniquenessScore& s : *scores) {
      char value[16];
      std::snprintf(value, sizeof value, "%.4f", s.score);
      if (Status st = catalog.set_meta(s.id, "uniqueness", value); !st.is_ok()) {
        return fail(st.message());
      }
    }
    if (Status st = tx->commit(); !st.is_ok()) return fail(st.message());
  }
  const size_t shown = std::min(scores->size(), static_cast<size_t>(top));
  if (args->has("--json")) std::printf("[");
  for (size_t i = 0; i < shown; ++i) {
    const UniquenessScore& s = (*scores)[i];
    auto record = catalog.find_by_id(s.id);
    if (!record.is_ok()) return fail(record.status().message());
    const std::string path = *record ? (*record)->path : "";
    if (args->has("--json")) {
      std::printf(
          "%s{\"id\":%lld,\"uniqueness\":%.6f,\"nearest\":%lld,\"nearest_score\":%.6f,"
          "\"path\":%s}",
          i ? "," : "", static_cast<long long>(s.id), s.score, static_cast<long long>(s.nearest_id),
          s.nearest_cosine, json_quote(path).c_str());
    } else {
      std::printf("%.4f  %6lld  %s  (nearest %lld, cosine %.3f)\n", s.score,
                  static_cast<long long>(s.id), path.c_str(), static_cast<long long>(s.nearest_id),
                  s.nearest_cosine);
    }
  }
  if (args->has("--json")) std::printf("]\n");
  return 0;
}

}  // namespace pixlake::cli
