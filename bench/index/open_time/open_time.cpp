// How long an index file takes to open, with and without verification.
//   index_open_time build N DIM FILE   builds a random HNSW16,SQ8 index of N x DIM and saves it
//   index_open_time open FILE          opens FILE three times: verify off, on, off again
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "pixlake/index.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int build(int64_t n, int dim, const std::string& path) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> x(static_cast<size_t>(n) * dim);
  for (float& v : x) v = normal(rng);
  std::vector<int64_t> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = i;
  pixlake::IndexBuildOptions options;
  options.ef_construction = 40;  // the graph's quality does not matter for opening it
  auto index = pixlake::make_index("HNSW16,SQ8", dim, pixlake::Metric::kCosine, options);
  if (!index.is_ok()) return 1;
  const auto start = std::chrono::steady_clock::now();
  pixlake::Status added = (*index)->add(n, x.data(), ids.data());
  if (!added.is_ok()) return std::fprintf(stderr, "%s\n", added.message().c_str()), 1;
  std::printf("built %lld x %d in %.1f s\n", static_cast<long long>(n), dim, seconds_since(start));
  pixlake::Status saved = (*index)->save(path);
  if (!saved.is_ok()) return std::fprintf(stderr, "%s\n", saved.message().c_str()), 1;
  return 0;
}

int open(const std::string& path) {
  for (bool verify : {false, true, false}) {
    const auto start = std::chrono::steady_clock::now();
    auto index = pixlake::load_index(path, verify);
    const double s = seconds_since(start);
    if (!index.is_ok()) return std::fprintf(stderr, "%s\n", index.status().message().c_str()), 1;
    std::printf("open verify=%s: %.3f s, %lld vectors\n", verify ? "on " : "off", s,
                static_cast<long long>((*index)->size()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "build" && argc == 5) return build(std::atoll(argv[2]), std::atoi(argv[3]), argv[4]);
  if (mode == "open" && argc == 3) return open(argv[2]);
  std::fprintf(stderr, "usage: index_open_time build N DIM FILE | open FILE\n");
  return 2;
}
