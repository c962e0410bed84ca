// Uniqueness: how far each image is from its k-th nearest neighbour (1 - cosine). High scores
// are rare images and outliers (often mislabelled or broken files); near zero means the
// collection holds many images like it. Built on the k-NN graph, so it scales like dups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lake/lake.h"

namespace pixlake {

struct UniquenessScore {
  int64_t id = 0;
  float score = 0;          // 1 - cosine similarity to the k-th neighbour
  int64_t nearest_id = -1;  // the closest other image
  float nearest_cosine = 0;
};

// Scores of every image with an embedding for `model`, highest (most unique) first. A lake with
// k or fewer images scores against the neighbours it has.
Result<std::vector<UniquenessScore>> uniqueness_scores(Lake& lake, const std::string& model, int k,
                                                       int threads);

}  // namespace pixlake
