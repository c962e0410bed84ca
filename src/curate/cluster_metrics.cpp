#include "curate/cluster_metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace pixlake {

namespace {

double entropy(const std::map<int64_t, int64_t>& counts, double n) {
  double h = 0;
  for (const auto& [label, count] : counts) {
    const double p = static_cast<double>(count) / n;
    h -= p * std::log(p);
  }
  return h;
}

}  // namespace

Result<double> normalized_mutual_information(const std::vector<int64_t>& classes,
                                             const std::vector<int64_t>& clusters) {
  if (classes.size() != clusters.size()) {
    return invalid_argument("nmi: " + std::to_string(classes.size()) + " class labels but " +
                            std::to_string(clusters.size()) + " cluster labels");
  }
  if (classes.empty()) return invalid_argument("nmi: no labels");
  const double n = static_cast<double>(classes.size());
  std::map<int64_t, int64_t> class_counts, cluster_counts;
  std::map<std::pair<int64_t, int64_t>, int64_t> joint;
  for (size_t i = 0; i < classes.size(); ++i) {
    ++class_counts[classes[i]];
    ++cluster_counts[clusters[i]];
    ++joint[{classes[i], clusters[i]}];
  }
  // Both partitions trivial (one block each): identical, by scikit-learn's convention.
  if (class_counts.size() == 1 && cluster_counts.size() == 1) return 1.0;
  double mutual = 0;
  for (const auto& [pair, count] : joint) {
    const double nij = static_cast<double>(count);
    const double ni = static_cast<double>(class_counts[pair.first]);
    const double nj = static_cast<double>(cluster_counts[pair.second]);
    mutual += nij / n * std::log(n * nij / (ni * nj));
  }
  const double mean_entropy = (entropy(class_counts, n) + entropy(cluster_counts, n)) / 2;
  if (mean_entropy <= 0) return 0.0;
  // Rounding can push I slightly past the mean entropy or below 0.
  return std::clamp(mutual / mean_entropy, 0.0, 1.0);
}

}  // namespace pixlake
