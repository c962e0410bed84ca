// `pixlake search`, `pixlake info`, `pixlake check`: reading a lake.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "core/json_text.h"
#include "service/lake_service.h"

namespace pixlake::cli {

int cmd_search(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--image", "--id", "--path", "-k", "--where", "--model"},
                                .switches = {"--json"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) {
    return fail(
        "search: usage: pixlake search LAKE (--image FILE | --id N | --path P) [-k 20] "
        "[--where EXPR] [--model M] [--json]");
  }
  SearchRequest request;
  request.model = args->get("--model");
  request.image_file = args->get("--image");
  request.path = args->get("--path");
  request.where = args->get("--where");
  for (Status status : {read_positive_int(*args, "--id", &request.id, int64_t{1} << 62),
                        read_positive_int(*args, "-k", &request.k)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kRead);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto results = search_lake(**lake, request);
  if (!results.is_ok()) return fail(results.status().message());
  if (args->has("--json")) {
    std::printf("[");
    for (size_t i = 0; i < results->size(); ++i) {
      const auto& r = (*results)[i];
      std::printf("%s{\"id\":%lld,\"score\":%.6f,\"path\":%s}", i ? "," : "",
                  static_cast<long long>(r.id), static_cast<double>(r.score),
                  json_quote(r.path).c_str());
    }
    std::printf("]\n");
    return 0;
  }
  for (const auto& r : *results) {
    std::printf("%8.4f  %8lld  %s\n", static_cast<double>(r.score), static_cast<long long>(r.id),
                r.path.c_str());
  }
  return 0;
}

int cmd_info(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.switches = {"--failures"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail("info: usage: pixlake info LAKE [--failures]");
  auto lake = Lake::open(args->positional[0], Lake::Access::kRead);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto info = lake_info(**lake);
  if (!info.is_ok()) return fail(info.status().message());
  std::printf("lake        %s\n", info->dir.c_str());
  std::printf("images      %lld\n", static_cast<long long>(info->images));
  std::printf("failures    %lld%s\n", static_cast<long long>(info->failures),
              info->failures && !args->has("--failures") ? " (list them with --failures)" : "");
  std::printf("default     %s\n", info->default_model.c_str());
  for (const auto& m : info->models) {
    std::printf("model       %s: %lld embeddings, %d-d, layer %s, %lld rows in %s\n",
                m.model.name.c_str(), static_cast<long long>(m.embedded), m.model.dim,
                m.model.layer.c_str(), static_cast<long long>(m.model.committed_rows),
                m.model.file.c_str());
  }
  std::printf("storage     catalog %.1f MB, embeddings %.1f MB\n",
              static_cast<double>(info->catalog_bytes) / 1e6,
              static_cast<double>(info->embedding_bytes) / 1e6);
  std::string formats;
  for (const auto& [f, n] : info->formats) formats += f + " " + std::to_string(n) + "  ";
  std::printf("formats     %s\n", formats.c_str());
  std::string tags;
  for (const auto& [t, n] : info->top_tags) tags += t + " " + std::to_string(n) + "  ";
  if (!tags.empty()) std::printf("tags        %s\n", tags.c_str());
  if (args->has("--failures")) {
    auto failures = (*lake)->catalog().failures();
    if (!failures.is_ok()) return fail(failures.status().message());
    for (const auto& f : *failures)
      std::printf("failed      %s: %s\n", f.path.c_str(), f.error.c_str());
  }
  return 0;
}

int cmd_check(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail("check: usage: pixlake check LAKE");
  auto lake = Lake::open(args->positional[0], Lake::Access::kRead);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto problems = check_lake(**lake);
  if (!problems.is_ok()) return fail(problems.status().message());
  for (const auto& p : *problems) std::fprintf(stderr, "pixlake: check: %s\n", p.c_str());
  if (!problems->empty()) return 1;
  std::printf("ok\n");
  return 0;
}

}  // namespace pixlake::cli
