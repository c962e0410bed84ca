// Side-by-side vector-index benchmark: pixlake vs hnswlib vs FAISS in one process, on
// Fashion-MNIST (60k x 784, L2) or a synthetic clustered set (1M x 512, unit vectors).
// For each ef of the sweep, every side answers all queries one at a time at 1 and 2 threads,
// sides interleaved so that a change in machine load hits all of them alike. See README.md.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "datasets.h"
#include "ground_truth.h"
#include "machine.h"
#include "report.h"
#include "sides.h"

namespace pixlake::bench {
namespace {

struct Options {
  std::string dataset = "fashion-mnist";
  std::string fashion_dir = "/usr/share/datasets/fashion-mnist";
  SyntheticSpec synthetic;
  int64_t base_limit = 0;   // 0: all
  int64_t query_limit = 0;  // 0: all (10,000 for both data sets)
  int build_threads = 2;
  std::vector<int> search_threads = {1, 2};
  std::vector<int> efs = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 800};
  // ';' separates factories because a factory string contains commas.
  std::vector<std::string> pixlake_factories = {"HNSW16", "HNSW16,SQ8", "HNSW32,SQ8"};
  PeerOptions peer;
  int k = 10;
  int repeats = 1;
  bool skip_pixlake = false;
  bool skip_hnswlib = false;
  bool skip_faiss = false;
  bool help = false;
  std::string json_path;
};

const char* kUsage =
    "usage: index_bench [options]\n"
    "  --dataset fashion-mnist|synthetic   (default fashion-mnist)\n"
    "  --fashion-dir DIR                   idx .gz files (default "
    "/usr/share/datasets/fashion-mnist)\n"
    "  --synthetic-n N --synthetic-dim D   synthetic base size and dimension (1000000, 512)\n"
    "  --synthetic-clusters C --synthetic-spread S --seed X   (1000, 0.5, 42)\n"
    "  --base N --queries N                use only the first N base vectors / queries\n"
    "  --threads-build T                   threads for building every index (2)\n"
    "  --search-threads LIST               e.g. 1,2 (default)\n"
    "  --efs LIST                          ef sweep (10,16,...,800)\n"
    "  --pixlake-factories 'F1;F2'         (default 'HNSW16;HNSW16,SQ8;HNSW32,SQ8')\n"
    "  --m M --ef-construction E           graph parameters for every side (16, 200)\n"
    "  --k K --repeats R                   recall@K (10); best QPS of R passes (1)\n"
    "  --skip-pixlake --skip-hnswlib --skip-faiss\n"
    "  --json PATH                         default bench/results/index_<dataset>_<time>.json\n";

Status parse_int(const std::string& flag, const std::string& text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec != std::errc() || end != text.data() + text.size() || *out < 0)
    return invalid_argument(flag + ": expected a non-negative integer, got '" + text + "'");
  return Status::ok();
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

Status parse_int_list(const std::string& flag, const std::string& text, std::vector<int>* out) {
  out->clear();
  for (const auto& part : split(text, ',')) {
    int64_t value = 0;
    PIXLAKE_RETURN_IF_ERROR(parse_int(flag, part, &value));
    if (value < 1 || value > 1000000) return invalid_argument(flag + ": out of range: " + part);
    out->push_back(static_cast<int>(value));
  }
  return Status::ok();
}

Status parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--skip-pixlake") {
      o->skip_pixlake = true;
      continue;
    }
    if (flag == "--skip-hnswlib") {
      o->skip_hnswlib = true;
      continue;
    }
    if (flag == "--skip-faiss") {
      o->skip_faiss = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      o->help = true;
      return Status::ok();
    }
    if (i + 1 >= argc) return invalid_argument(flag + ": missing value\n" + kUsage);
    std::string value = argv[++i];
    int64_t n = 0;
    auto number = [&](auto* out, int64_t low, int64_t high) {
      PIXLAKE_RETURN_IF_ERROR(parse_int(flag, value, &n));
      if (n < low || n > high) return invalid_argument(flag + ": out of range: " + value);
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(n);
      return Status::ok();
    };
    if (flag == "--dataset") {
      if (value != "fashion-mnist" && value != "synthetic")
        return invalid_argument("--dataset: expected fashion-mnist or synthetic");
      o->dataset = value;
    } else if (flag == "--fashion-dir") {
      o->fashion_dir = value;
    } else if (flag == "--synthetic-n") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->synthetic.n_base, 1, int64_t{1} << 31));
    } else if (flag == "--synthetic-dim") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->synthetic.dim, 1, 65536));
    } else if (flag == "--synthetic-clusters") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->synthetic.n_clusters, 1, 1 << 24));
    } else if (flag == "--synthetic-spread") {
      o->synthetic.spread = std::strtof(value.c_str(), nullptr);
      if (!(o->synthetic.spread > 0)) return invalid_argument("--synthetic-spread: must be > 0");
    } else if (flag == "--seed") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->synthetic.seed, 0, INT64_MAX));
    } else if (flag == "--base") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->base_limit, 1, INT64_MAX));
    } else if (flag == "--queries") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->query_limit, 1, INT64_MAX));
    } else if (flag == "--threads-build") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->build_threads, 1, 1024));
    } else if (flag == "--search-threads") {
      PIXLAKE_RETURN_IF_ERROR(parse_int_list(flag, value, &o->search_threads));
    } else if (flag == "--efs") {
      PIXLAKE_RETURN_IF_ERROR(parse_int_list(flag, value, &o->efs));
    } else if (flag == "--pixlake-factories") {
      o->pixlake_factories = split(value, ';');
    } else if (flag == "--m") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->peer.m, 2, 1024));
    } else if (flag == "--ef-construction") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->peer.ef_construction, 1, 100000));
    } else if (flag == "--k") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->k, 1, 256));
    } else if (flag == "--repeats") {
      PIXLAKE_RETURN_IF_ERROR(number(&o->repeats, 1, 100));
    } else if (flag == "--json") {
      o->json_path = value;
    } else {
      return invalid_argument("unknown option " + flag + "\n" + kUsage);
    }
  }
  return Status::ok();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// All queries, one per call, split into contiguous ranges over n_threads threads. Returns the
// wall-clock seconds from the first query to the last thread's join.
Result<double> run_queries(const Side& side, const Dataset& data, int k, int n_threads,
                           std::vector<int64_t>* labels) {
  labels->assign(static_cast<size_t>(data.n_queries) * k, -1);
  std::vector<Status> statuses(n_threads);
  auto work = [&](int t) {
    int64_t begin = data.n_queries * t / n_threads, end = data.n_queries * (t + 1) / n_threads;
    for (int64_t q = begin; q < end; ++q) {
      Status status = side.search(data.queries.data() + q * data.dim, k, labels->data() + q * k);
      if (!status.is_ok()) {
        statuses[t] = status;
        return;
      }
    }
  };
  auto start = std::chrono::steady_clock::now();
  if (n_threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> workers;
    for (int t = 0; t < n_threads; ++t) workers.emplace_back(work, t);
    for (auto& worker : workers) worker.join();
  }
  double seconds = seconds_since(start);
  for (const auto& status : statuses) PIXLAKE_RETURN_IF_ERROR(status);
  return seconds;
}

std::string default_json_path(const std::string& dataset) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return "bench/results/index_" + dataset + "_" + stamp + ".json";
}

Status run(const Options& o) {
  RunInfo run;
  run.machine = machine_info();
  run.k = o.k;
  run.build_threads = o.build_threads;
  run.search_threads = o.search_threads;

  Dataset data;
  if (o.dataset == "fashion-mnist") {
    PIXLAKE_ASSIGN_OR_RETURN(data, load_fashion_mnist(o.fashion_dir, o.base_limit, o.query_limit));
  } else {
    SyntheticSpec spec = o.synthetic;
    if (o.base_limit > 0) spec.n_base = std::min(spec.n_base, o.base_limit);
    if (o.query_limit > 0) spec.n_queries = o.query_limit;
    data = make_synthetic(spec, o.build_threads);
  }
  run.dataset = data.name;
  run.distance = distance_name(data.distance);
  run.n_base = data.n_base;
  run.n_queries = data.n_queries;
  run.dim = data.dim;
  print_header(run);

  auto start = std::chrono::steady_clock::now();
  GroundTruth truth = exact_top_k(data, o.k, o.build_threads);
  run.ground_truth_seconds = seconds_since(start);
  std::printf("  exact top-%d by brute force: %.1f s\n\n", o.k, run.ground_truth_seconds);

  std::vector<std::unique_ptr<Side>> sides;
  if (!o.skip_hnswlib) {
    if (std::string(hnswlib_simd()) == "avx512" && !__builtin_cpu_supports("avx512f")) {
      std::printf("warning: hnswlib was compiled for AVX-512, which this CPU lacks: skipped\n");
    } else {
      sides.push_back(make_hnswlib_side(o.peer));
    }
  }
  if (!o.skip_faiss) sides.push_back(make_faiss_side(o.peer));
  if (!o.skip_pixlake)
    for (const auto& factory : o.pixlake_factories)
      sides.push_back(make_pixlake_side(factory, o.peer.ef_construction));

  // Builds one after another; every index stays alive for the interleaved sweep.
  std::vector<SideResult> results(sides.size());
  for (size_t s = 0; s < sides.size(); ++s) {
    SideResult& result = results[s];
    result.name = sides[s]->name();
    result.params = sides[s]->params();
    int64_t rss_before = resident_bytes_after_trim();
    auto build_start = std::chrono::steady_clock::now();
    Status status = sides[s]->build(data, o.build_threads);
    result.build_seconds = seconds_since(build_start);
    result.rss_delta_bytes = resident_bytes_after_trim() - rss_before;
    result.memory_bytes = static_cast<int64_t>(sides[s]->memory_bytes());
    if (!status.is_ok()) result.error = status.to_string();
    std::printf("  built %-22s %8.1f s  %8.1f MiB (rss +%.1f MiB)  %s%s\n", result.name.c_str(),
                result.build_seconds, result.memory_bytes / 1048576.0,
                result.rss_delta_bytes / 1048576.0, result.params.c_str(),
                result.error.empty() ? "" : ("  FAILED: " + result.error).c_str());
    std::fflush(stdout);
  }

  std::printf("\n  %-22s %7s  %13s", "side", "", "");
  for (int t : o.search_threads) std::printf("  %7s %dt", "qps", t);
  std::printf("\n");
  std::vector<int64_t> labels;
  for (size_t e = 0; e < o.efs.size(); ++e) {
    // Rotate the order per ef so that no side is always first after a pause.
    for (size_t i = 0; i < sides.size(); ++i) {
      size_t s = (i + e) % sides.size();
      if (!results[s].error.empty()) continue;
      sides[s]->set_ef(o.efs[e]);
      CurvePoint point;
      point.ef = o.efs[e];
      for (int n_threads : o.search_threads) {
        double best = 0;
        for (int r = 0; r < o.repeats && results[s].error.empty(); ++r) {
          auto seconds = run_queries(*sides[s], data, o.k, n_threads, &labels);
          if (!seconds.is_ok()) {
            results[s].error = seconds.status().to_string();
            break;
          }
          best = std::max(best, data.n_queries / std::max(*seconds, 1e-9));
          if (n_threads == o.search_threads.front() && r == 0)
            point.recall = recall_at_k(data, truth, labels.data());
        }
        point.qps.push_back(best);
      }
      if (!results[s].error.empty()) continue;
      print_curve_row(results[s], point);
      results[s].curve.push_back(point);
    }
  }
  run.load_average_after = load_average();
  print_summary(run, results);

  std::string path = o.json_path.empty() ? default_json_path(data.name) : o.json_path;
  std::error_code ignored;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  PIXLAKE_RETURN_IF_ERROR(write_json(path, run, results));
  std::printf("\njson: %s\n", path.c_str());
  return Status::ok();
}

}  // namespace
}  // namespace pixlake::bench

int main(int argc, char** argv) {
  pixlake::bench::Options options;
  pixlake::Status status = pixlake::bench::parse_options(argc, argv, &options);
  if (status.is_ok() && options.help) {
    std::fputs(pixlake::bench::kUsage, stdout);
    return 0;
  }
  if (status.is_ok()) status = pixlake::bench::run(options);
  if (!status.is_ok()) {
    std::fprintf(stderr, "index_bench: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
