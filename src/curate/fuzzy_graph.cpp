#include "curate/fuzzy_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pixlake {
namespace {

constexpr int kSearchSteps = 64;
constexpr double kTolerance = 1e-5;
// umap-learn's MIN_K_DIST_SCALE: sigma never drops below this fraction of the mean distance,
// so a node whose neighbours all sit at rho does not get an infinitely sharp kernel.
constexpr double kMinSigmaScale = 1e-3;

struct Directed {
  int32_t low, high;
  float weight;
};

}  // namespace

FuzzyEdges fuzzy_edges(const KnnGraph& graph) {
  const int k = graph.k;
  const double target = std::log2(static_cast<double>(k) + 1.0);
  std::vector<Directed> directed;
  directed.reserve(static_cast<size_t>(graph.n) * k);
  std::vector<double> dist(k);
  double mean_all = 0;
  int64_t count_all = 0;
  for (int64_t i = 0; i < graph.n * k; ++i) {
    if (graph.neighbours[i] >= 0) {
      mean_all += std::max(0.0, 1.0 - graph.scores[i]);
      ++count_all;
    }
  }
  mean_all = count_all ? mean_all / static_cast<double>(count_all) : 0.0;
  for (int64_t node = 0; node < graph.n; ++node) {
    const int32_t* nb = graph.neighbours_of(node);
    const float* sc = graph.scores_of(node);
    int m = 0;
    double rho = std::numeric_limits<double>::infinity(), mean = 0;
    for (int j = 0; j < k; ++j) {
      if (nb[j] < 0 || nb[j] == node) continue;
      dist[m] = std::max(0.0, 1.0 - static_cast<double>(sc[j]));
      if (dist[m] > 0) rho = std::min(rho, dist[m]);
      mean += dist[m];
      ++m;
    }
    if (m == 0) continue;
    mean /= m;
    if (!std::isfinite(rho)) rho = 0;  // every neighbour is an exact copy
    double lo = 0, hi = std::numeric_limits<double>::infinity(), sigma = 1;
    for (int step = 0; step < kSearchSteps; ++step) {
      double sum = 0;
      for (int j = 0; j < m; ++j) {
        const double d = dist[j] - rho;
        sum += d > 0 ? std::exp(-d / sigma) : 1.0;
      }
      if (std::abs(sum - target) < kTolerance) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = std::isinf(hi) ? sigma * 2 : (lo + hi) / 2;
      }
    }
    const double floor = kMinSigmaScale * (rho > 0 ? mean : mean_all);
    sigma = std::max(sigma, floor);
    int slot = 0;
    for (int j = 0; j < k; ++j) {
      if (nb[j] < 0 || nb[j] == node) continue;
      const double d = dist[slot++] - rho;
      const float w = static_cast<float>(d > 0 ? std::exp(-d / std::max(sigma, 1e-300)) : 1.0);
      if (w <= 0) continue;
      const auto a = static_cast<int32_t>(node), b = nb[j];
      directed.push_back({std::min(a, b), std::max(a, b), w});
    }
  }
  // Both directions of a pair meet after sorting; they combine as a fuzzy union.
  std::sort(directed.begin(), directed.end(), [](const Directed& x, const Directed& y) {
    return x.low != y.low ? x.low < y.low : x.high < y.high;
  });
  FuzzyEdges edges;
  edges.n = graph.n;
  for (size_t i = 0; i < directed.size();) {
    size_t j = i + 1;
    double keep_out = 1.0 - directed[i].weight;  // product of (1 - w): union of memberships
    while (j < directed.size() && directed[j].low == directed[i].low &&
           directed[j].high == directed[i].high) {
      keep_out *= 1.0 - directed[j].weight;
      ++j;
    }
    edges.head.push_back(directed[i].low);
    edges.tail.push_back(directed[i].high);
    edges.weight.push_back(static_cast<float>(1.0 - keep_out));
    i = j;
  }
  return edges;
}

}  // namespace pixlake
