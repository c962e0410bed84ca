// `pixlake cluster`: k-means on a lake's embeddings, stored as cluster:<n> tags.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "core/json_text.h"
#include "lake/lake_clusters.h"

namespace pixlake::cli {

namespace {

void print_json(const ClusterReport& report) {
  std::printf("{\"model\":%s,\"images\":%lld,\"k\":%d,\"k_automatic\":%s,\"silhouette\":%.6f,",
              json_quote(report.model).c_str(), static_cast<long long>(report.images), report.k,
              report.k_automatic ? "true" : "false", report.silhouette);
  std::printf("\"candidates\":[");
  for (size_t i = 0; i < report.candidates.size(); ++i) {
    std::printf("%s{\"k\":%d,\"silhouette\":%.6f}", i ? "," : "", report.candidates[i].first,
                report.candidates[i].second);
  }
  std::printf("],\"clusters\":[");
  for (size_t i = 0; i < report.clusters.size(); ++i) {
    const auto& c = report.clusters[i];
    std::printf(
        "%s{\"cluster\":%d,\"tag\":\"cluster:%d\",\"size\":%lld,\"representative\":"
        "{\"id\":%lld,\"path\":%s}}",
        i ? "," : "", c.cluster, c.cluster, static_cast<long long>(c.size),
        static_cast<long long>(c.representative), json_quote(c.representative_path).c_str());
  }
  std::printf("]}\n");
}

void print_text(const ClusterReport& report) {
  std::printf("clustered %lld images (model %s) into %d clusters%s, silhouette %.3f\n",
              static_cast<long long>(report.images), report.model.c_str(), report.k,
              report.k_automatic ? " (k chosen by silhouette)" : "", report.silhouette);
  if (!report.candidates.empty()) {
    std::printf("candidates ");
    for (const auto& [k, score] : report.candidates) std::printf(" k=%d:%.3f", k, score);
    std::printf("\n");
  }
  std::printf("%-12s %8s  %8s  %s\n", "tag", "images", "rep id", "representative");
  for (const auto& c : report.clusters) {
    std::printf("cluster:%-4d %8lld  %8lld  %s\n", c.cluster, static_cast<long long>(c.size),
                static_cast<long long>(c.representative), c.representative_path.c_str());
  }
}

}  // namespace

int cmd_cluster(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"-k", "--model", "--where", "--seed", "--threads"},
                                .switches = {"--json"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) {
    return fail(
        "cluster: usage: pixlake cluster LAKE [-k N] [--model M] [--where EXPR] [--seed S] "
        "[--json]");
  }
  ClusterRequest request;
  request.model = args->get("--model");
  request.where = args->get("--where");
  for (Status status : {read_positive_int(*args, "-k", &request.k, 100'000),
                        read_positive_int(*args, "--seed", &request.seed, int64_t{1} << 62),
                        read_positive_int(*args, "--threads", &request.threads, 1024)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto report = cluster_lake(**lake, request);
  if (!report.is_ok()) return fail(report.status().message());
  if (args->has("--json")) {
    print_json(*report);
  } else {
    print_text(*report);
  }
  return 0;
}

}  // namespace pixlake::cli
