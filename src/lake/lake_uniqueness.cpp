#include "lake/lake_uniqueness.h"

#include <algorithm>

#include "lake/lake_knn.h"

namespace pixlake {

Result<std::vector<UniquenessScore>> uniqueness_scores(Lake& lake, const std::string& model, int k,
                                                       int threads) {
  LakeKnnOptions options;
  options.k = k;
  options.threads = threads;
  PIXLAKE_ASSIGN_OR_RETURN(LakeKnn knn, lake_knn_graph(lake, model, options));
  std::vector<UniquenessScore> scores;
  scores.reserve(knn.ids.size());
  for (int64_t node = 0; node < knn.graph.n; ++node) {
    const int32_t* neighbours = knn.graph.neighbours_of(node);
    const float* cosines = knn.graph.scores_of(node);
    int last = -1;  // the k-th neighbour, or the farthest one there is
    for (int slot = 0; slot < k; ++slot) {
      if (neighbours[slot] >= 0) last = slot;
    }
    UniquenessScore s;
    s.id = knn.ids[static_cast<size_t>(node)];
    if (last >= 0) {
      s.score = 1.0f - cosines[last];
      s.nearest_id = knn.ids[static_cast<size_t>(neighbours[0])];
      s.nearest_cosine = cosines[0];
    }
    scores.push_back(s);
  }
  std::sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return scores;
}

}  // namespace pixlake
