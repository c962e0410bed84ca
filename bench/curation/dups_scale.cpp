// How `pixlake dups` scales: builds a lake of N synthetic images (catalog rows, perceptual
// hashes, embeddings: clustered unit vectors, 1 % of them planted near-copies of another), then
// times find_lake_duplicates -- the same call `pixlake dups` makes: k-NN graph through the
// lake's HNSW index (built here, timed apart), candidate pairs, tiers, union-find -- and reports
// seconds, peak RSS and how many planted pairs were found. No images are decoded.
//
// usage: dups_scale [--images 1000000] [--dim 256] [--threads 2] [--out build/bench/dups_scale]
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "lake/lake.h"
#include "lake/lake_dups.h"
#include "lake/lake_index.h"

using namespace pixlake;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void die(const Status& s) {
  if (!s.is_ok()) {
    std::fprintf(stderr, "dups_scale: %s\n", s.message().c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1'000'000;
  int dim = 256;
  int threads = 2;
  std::string out = "build/bench/dups_scale";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--images")
      n = std::atoll(argv[i + 1]);
    else if (flag == "--dim")
      dim = std::atoi(argv[i + 1]);
    else if (flag == "--threads")
      threads = std::atoi(argv[i + 1]);
    else if (flag == "--out")
      out = argv[i + 1];
  }
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const std::string dir = out + "/lake";
  die(Lake::init(dir, "synthetic"));
  auto lake_or = Lake::open(dir, Lake::Access::kWrite);
  die(lake_or.status());
  Lake& lake = **lake_or;
  die(lake.add_model("synthetic", "none", dim, "0"));

  // Clustered unit vectors: 2000 centres, spread chosen so that different members of a cluster
  // are cosine ~0.8 apart; planted copies are the original plus small noise (cosine ~0.99).
  auto setup = std::chrono::steady_clock::now();
  std::mt19937_64 rng(7);
  std::normal_distribution<float> normal;
  const int centres = 2000;
  std::vector<float> centre(static_cast<size_t>(centres) * dim);
  for (float& v : centre) v = normal(rng);
  const int64_t planted = n / 100;
  std::vector<int64_t> copy_of(static_cast<size_t>(n), -1);
  for (int64_t i = n - planted; i < n; ++i)
    copy_of[static_cast<size_t>(i)] =
        static_cast<int64_t>(rng() % static_cast<uint64_t>(n - planted));
  auto& catalog = lake.catalog();
  auto store = lake.store("synthetic");
  die(store.status());
  const int64_t batch = 10000;
  std::vector<float> rows(static_cast<size_t>(batch) * dim);
  std::unordered_map<int64_t, std::vector<float>> sources;  // original vectors copies refer to
  for (int64_t i = n - planted; i < n; ++i) sources[copy_of[static_cast<size_t>(i)]];
  std::unordered_map<int64_t, uint64_t> source_hash;
  std::vector<int64_t> ids(static_cast<size_t>(batch));
  for (int64_t first = 0; first < n; first += batch) {
    const int64_t count = std::min(batch, n - first);
    auto tx = catalog.begin();
    die(tx.status());
    for (int64_t r = 0; r < count; ++r) {
      const int64_t i = first + r;
      float* v = rows.data() + r * dim;
      uint64_t phash = rng();
      if (copy_of[static_cast<size_t>(i)] >= 0) {
        const auto& src = sources[copy_of[static_cast<size_t>(i)]];
        for (int d = 0; d < dim; ++d)
          v[d] = src[static_cast<size_t>(d)] +
                 0.08f * normal(rng) / std::sqrt(static_cast<float>(dim));
        phash = source_hash[copy_of[static_cast<size_t>(i)]] ^ 1;
      } else {
        const float* c = centre.data() + (rng() % centres) * dim;
        for (int d = 0; d < dim; ++d) v[d] = c[d] + 0.5f * normal(rng);
      }
      float norm = 0;
      for (int d = 0; d < dim; ++d) norm += v[d] * v[d];
      for (int d = 0; d < dim; ++d) v[d] /= std::sqrt(norm);
      auto it = sources.find(i);
      if (it != sources.end()) {
        it->second.assign(v, v + dim);
        source_hash[i] = phash;
      }
      ImageRecord record;
      record.path = "/synthetic/" + std::to_string(i) + ".jpg";
      record.hash = std::to_string(i);
      record.width = 640;
      record.height = 480;
      record.format = "jpeg";
      auto id = catalog.insert_image(record);
      die(id.status());
      ids[static_cast<size_t>(r)] = *id;
      PerceptualHashes h{rng(), rng(), phash, rng(), rng()};
      die(catalog.set_hashes(*id, h));
      die(catalog.set_embedding_row("synthetic", *id, i));
    }
    die((*store)->append(ids.data(), rows.data(), count));
    die((*store)->sync());
    die(catalog.set_committed_rows("synthetic", (*store)->rows()));
    die(tx->commit());
  }
  sources.clear();
  const double setup_s = seconds_since(setup);

  auto index_start = std::chrono::steady_clock::now();
  LakeIndexOptions index_options;
  index_options.factory = "HNSW16,SQ8";
  index_options.threads = threads;
  die(update_lake_index(lake, "synthetic", index_options).status());
  const double index_s = seconds_since(index_start);
  const double rss_before = peak_rss_mib();

  auto dups_start = std::chrono::steady_clock::now();
  LakeDupOptions options;
  options.threads = threads;
  auto report = find_lake_duplicates(lake, options);
  die(report.status());
  const double dups_s = seconds_since(dups_start);

  // Planted pairs found: a copy in the same group as its source (ids are i + 1).
  std::unordered_map<int64_t, size_t> group_of;
  for (size_t g = 0; g < report->groups.size(); ++g) {
    for (const auto& im : report->groups[g].images) group_of[im.id] = g;
  }
  int64_t found = 0;
  for (int64_t i = n - planted; i < n; ++i) {
    auto a = group_of.find(i + 1);
    auto b = group_of.find(copy_of[static_cast<size_t>(i)] + 1);
    if (a != group_of.end() && b != group_of.end() && a->second == b->second) ++found;
  }
  int64_t grouped = 0;
  for (const auto& g : report->groups) grouped += static_cast<int64_t>(g.images.size());
  std::printf(
      "{\"images\":%lld,\"dim\":%d,\"threads\":%d,\"setup_s\":%.1f,\"index_build_s\":%.1f,"
      "\"dups_s\":%.1f,\"candidates\":%lld,\"groups\":%zu,\"grouped_images\":%lld,"
      "\"planted\":%lld,\"planted_found\":%lld,\"peak_rss_mib_before_dups\":%.0f,"
      "\"peak_rss_mib\":%.0f,\"used_index\":%s}\n",
      static_cast<long long>(n), dim, threads, setup_s, index_s, dups_s,
      static_cast<long long>(report->candidates), report->groups.size(),
      static_cast<long long>(grouped), static_cast<long long>(planted),
      static_cast<long long>(found), rss_before, peak_rss_mib(),
      report->used_index ? "true" : "false");
  return 0;
}
