// A 2-D neighbour-embedding layout in the manner of UMAP: points start from a given layout
// (PCA, for maps) and are moved by stochastic gradient descent that pulls the ends of each
// fuzzy edge (fuzzy_graph.h) together and pushes randomly drawn pairs apart (negative
// sampling), so no step ever looks at all pairs. Low-dimensional similarity is the curve
// 1 / (1 + a d^(2b)), with a, b fitted to min_dist and spread. McInnes, Healy & Melville,
// "UMAP" (2018); the update rules follow umap-learn's optimize_layout_euclidean.
//
// Deterministic: one thread and a seeded generator, so a given graph, start and seed give the
// same coordinates on every run. Cost: about n_epochs * (edges + negatives) point updates,
// never all pairs: 100k points with k = 15 (1.2M edges, 200 epochs) take ~40 s on one core.
#pragma once

#include <cstdint>
#include <vector>

#include "curate/fuzzy_graph.h"
#include "pixlake/status.h"

namespace pixlake {

struct UmapCurve {
  float a = 0;
  float b = 0;
};

// Least-squares fit of 1 / (1 + a x^(2b)) to the curve that is 1 up to min_dist and then
// decays as exp(-(x - min_dist) / spread), on [0, 3 * spread] as umap-learn's find_ab_params.
// (min_dist 0.1, spread 1: a ~ 1.58, b ~ 0.90.)
UmapCurve fit_umap_curve(float min_dist, float spread);

struct Layout2dOptions {
  int n_epochs = 0;  // 0: 500 up to 10000 points, 200 above (umap-learn's default)
  float min_dist = 0.1f;
  float spread = 1.0f;
  int negative_samples = 5;  // repulsive samples per attractive one
  float repulsion = 1.0f;    // umap's gamma
  float learning_rate = 1.0f;
  uint64_t seed = 42;
};

// Lays out edges.n points in 2-D. `start` holds n (x, y) pairs; it is rescaled to [0, 10] per
// axis first (so any scale works). Returns n (x, y) pairs. InvalidArgument when start is not
// 2 * n values or an edge names a node outside [0, n).
Result<std::vector<float>> layout_2d(const FuzzyEdges& edges, const std::vector<float>& start,
                                     const Layout2dOptions& options = {});

}  // namespace pixlake
