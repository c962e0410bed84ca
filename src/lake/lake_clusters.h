// `pixlake cluster`: k-means on a model's live embeddings, stored as `cluster:<n>` tags, with
// each cluster's size and representative image. Lives in the lake module so that the CLI and a
// future HTTP server share it; printing is the caller's business.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lake/lake.h"
#include "pixlake/status.h"

namespace pixlake {

struct ClusterRequest {
  std::string model;  // empty: the lake's default
  std::string where;  // filter expression (docs/filters.md); empty: every embedded image
  int k = 0;          // 0: chosen by silhouette (see choose_k_candidates)
  uint64_t seed = 1;
  int threads = 0;  // 0: all cores
};

struct ClusterSummary {
  int cluster = 0;  // tag `cluster:<cluster>`; 0 is the largest
  int64_t size = 0;
  int64_t representative = 0;  // image id closest to the centroid
  std::string representative_path;
};

struct ClusterReport {
  std::string model;
  int64_t images = 0;  // images clustered
  int k = 0;           // clusters made
  bool k_automatic = false;
  // (k, silhouette on the sample) for every candidate tried when k was automatic.
  std::vector<std::pair<int, double>> candidates;
  double silhouette = 0;  // of the final clustering, on a sample of up to 2000 images
  std::vector<ClusterSummary> clusters;  // by cluster number (largest first)
  // (image id, cluster) for every clustered image, by image id.
  std::vector<std::pair<int64_t, int>> assignment;
};

// The k values tried when -k is omitted: 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64,
// keeping those with at least 4 images per cluster (k <= n / 4). Empty when n < 8: such a set
// is one cluster.
std::vector<int> choose_k_candidates(int64_t n);

// Clusters the live embeddings of the model for the images matching `where` (spherical
// k-means: the lake's embeddings are L2-normalised), then in one transaction replaces the
// clustered images' previous `cluster:*` tags with `cluster:<n>`. Needs write access.
Result<ClusterReport> cluster_lake(Lake& lake, const ClusterRequest& request);

}  // namespace pixlake
