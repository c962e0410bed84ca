// Exact nearest-neighbour search over a lake's embedding rows: the ground truth that the
// vector index (a later issue) must match, and the search used until it lands.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "lake/embedding_store.h"

namespace pixlake {

struct SearchHit {
  int64_t id = 0;      // image id
  float score = 0.0f;  // cosine similarity (rows and query are L2-normalised)
};

// Orders hits best first: higher score, then smaller id, so results are deterministic.
bool search_hit_better(const SearchHit& a, const SearchHit& b);

// Scores `query` (dim floats, L2-normalised) against the rows listed in `rows` as
// (row, image id) pairs and returns the k best, highest score first; ties by smaller id.
// `exclude_id` (when >= 0) is left out, so searching with an image of the lake does not return
// the image itself first.
std::vector<SearchHit> exact_search(const EmbeddingStore& store,
                                    const std::vector<std::pair<int64_t, int64_t>>& rows,
                                    const float* query, int k, int64_t exclude_id = -1);

}  // namespace pixlake
