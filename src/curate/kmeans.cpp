#include "curate/kmeans.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <thread>

#include "core/blas_threads.h"

namespace pixlake {

namespace {

// Rows per BLAS product in the assignment step. Fixed (not derived from the thread count) so
// that results do not depend on how many threads ran.
constexpr int64_t kBlockRows = 256;

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Runs body(block) for blocks [0, n_blocks) on up to `threads` threads.
template <typename Body>
void parallel_blocks(int64_t n_blocks, int threads, const Body& body) {
  const int n_threads = static_cast<int>(std::min<int64_t>(threads, n_blocks));
  if (n_threads <= 1) {
    for (int64_t b = 0; b < n_blocks; ++b) body(b);
    return;
  }
  std::vector<std::thread> workers;
  for (int t = 0; t < n_threads; ++t) {
    workers.emplace_back([&, t] {
      for (int64_t b = t; b < n_blocks; b += n_threads) body(b);
    });
  }
  for (auto& w : workers) w.join();
}

float squared_norm(const float* v, int dim) {
  float s = 0;
  for (int d = 0; d < dim; ++d) s += v[d] * v[d];
  return s;
}

float squared_distance(const float* a, const float* b, int dim) {
  float s = 0;
  for (int d = 0; d < dim; ++d) {
    float diff = a[d] - b[d];
    s += diff * diff;
  }
  return s;
}

// A uniform double in [0, 1) from the generator, spelled out so that the stream of choices is
// the same with every standard library.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// `count` distinct indices of [0, n), sorted (partial Fisher-Yates).
std::vector<int64_t> sample_indices(int64_t n, int64_t count, uint64_t seed) {
  std::vector<int64_t> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), int64_t{0});
  std::mt19937_64 rng(seed);
  for (int64_t i = 0; i < count; ++i) {
    int64_t j = i + static_cast<int64_t>(uniform01(rng) * static_cast<double>(n - i));
    std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(j)]);
  }
  all.resize(static_cast<size_t>(count));
  std::sort(all.begin(), all.end());
  return all;
}

// Copies the chosen rows into a contiguous matrix.
std::vector<float> gather_rows(const float* rows, int dim, int64_t stride,
                               const std::vector<int64_t>& picked) {
  std::vector<float> out(picked.size() * static_cast<size_t>(dim));
  for (size_t i = 0; i < picked.size(); ++i) {
    std::copy_n(rows + picked[i] * stride, dim, out.data() + i * static_cast<size_t>(dim));
  }
  return out;
}

// k-means++: each next centre is a row drawn with probability proportional to its squared
// distance to the nearest centre chosen so far.
std::vector<float> seed_plus_plus(const float* rows, int64_t n, int dim, int64_t stride, int k,
                                  std::mt19937_64& rng, int threads) {
  std::vector<float> centroids(static_cast<size_t>(k) * static_cast<size_t>(dim));
  std::vector<float> nearest(static_cast<size_t>(n), std::numeric_limits<float>::infinity());
  int64_t chosen = static_cast<int64_t>(uniform01(rng) * static_cast<double>(n));
  const int64_t n_blocks = (n + kBlockRows - 1) / kBlockRows;
  for (int c = 0; c < k; ++c) {
    const float* centre = rows + chosen * stride;
    std::copy_n(centre, dim, centroids.data() + static_cast<size_t>(c) * dim);
    if (c + 1 == k) break;
    parallel_blocks(n_blocks, threads, [&](int64_t block) {
      const int64_t end = std::min(n, (block + 1) * kBlockRows);
      for (int64_t row = block * kBlockRows; row < end; ++row) {
        float d = squared_distance(rows + row * stride, centre, dim);
        float& best = nearest[static_cast<size_t>(row)];
        if (d < best) best = d;
      }
    });
    double total = 0;
    for (float d : nearest) total += d;
    if (total <= 0) {
      // Every row coincides with a centre: there are fewer distinct rows than k. Repeat a row;
      // the duplicate centres end up as empty clusters.
      chosen = 0;
      continue;
    }
    double target = uniform01(rng) * total;
    double running = 0;
    chosen = -1;
    for (int64_t row = 0; row < n; ++row) {
      running += nearest[static_cast<size_t>(row)];
      if (running > target && nearest[static_cast<size_t>(row)] > 0) {
        chosen = row;
        break;
      }
    }
    if (chosen < 0) {
      // Rounding left target at the very end: take the last row with any weight.
      for (int64_t row = n - 1; row >= 0; --row) {
        if (nearest[static_cast<size_t>(row)] > 0) {
          chosen = row;
          break;
        }
      }
    }
  }
  return centroids;
}

// Recomputes centroids as the means of their rows (serially, in row order: deterministic).
// Returns the rows per cluster.
std::vector<int64_t> update_centroids(const float* rows, int64_t n, int dim, int64_t stride,
                                      const std::vector<int32_t>& labels, int k, bool spherical,
                                      std::vector<float>& centroids) {
  std::vector<double> sums(static_cast<size_t>(k) * static_cast<size_t>(dim), 0.0);
  std::vector<int64_t> counts(static_cast<size_t>(k), 0);
  for (int64_t row = 0; row < n; ++row) {
    const int32_t c = labels[static_cast<size_t>(row)];
    const float* x = rows + row * stride;
    double* sum = sums.data() + static_cast<size_t>(c) * dim;
    for (int d = 0; d < dim; ++d) sum[d] += x[d];
    ++counts[static_cast<size_t>(c)];
  }
  for (int c = 0; c < k; ++c) {
    const int64_t count = counts[static_cast<size_t>(c)];
    if (count == 0) continue;  // keeps its old centroid; handled by the caller
    float* centroid = centroids.data() + static_cast<size_t>(c) * dim;
    const double* sum = sums.data() + static_cast<size_t>(c) * dim;
    double norm = 0;
    for (int d = 0; d < dim; ++d) {
      centroid[d] = static_cast<float>(sum[d] / static_cast<double>(count));
      norm += static_cast<double>(centroid[d]) * centroid[d];
    }
    if (spherical && norm > 0) {
      const float scale = static_cast<float>(1.0 / std::sqrt(norm));
      for (int d = 0; d < dim; ++d) centroid[d] *= scale;
    }
  }
  return counts;
}

// Gives each empty cluster the row farthest from its centroid in the largest cluster, so that
// the big cluster splits instead of k shrinking. Clusters whose best candidate is at distance 0
// (only duplicates left) stay empty.
void reseed_empty(const float* rows, int dim, int64_t stride, std::vector<int32_t>& labels,
                  std::vector<float>& distances, std::vector<int64_t>& counts,
                  std::vector<float>& centroids) {
  const int k = static_cast<int>(counts.size());
  for (int c = 0; c < k; ++c) {
    if (counts[static_cast<size_t>(c)] > 0) continue;
    const int largest =
        static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    int64_t far_row = -1;
    float far = 0;
    for (size_t row = 0; row < labels.size(); ++row) {
      if (labels[row] == largest && distances[row] > far) {
        far = distances[row];
        far_row = static_cast<int64_t>(row);
      }
    }
    if (far_row < 0) continue;
    std::copy_n(rows + far_row * stride, dim, centroids.data() + static_cast<size_t>(c) * dim);
    labels[static_cast<size_t>(far_row)] = c;
    distances[static_cast<size_t>(far_row)] = 0;
    --counts[static_cast<size_t>(largest)];
    counts[static_cast<size_t>(c)] = 1;
  }
}

}  // namespace

void assign_to_centroids(const float* rows, int64_t n, int dim, int64_t stride,
                         const float* centroids, int k, int32_t* labels, float* distances,
                         int threads) {
  if (n <= 0 || k <= 0) return;
  threads = resolve_threads(threads);
  std::vector<float> centroid_norms(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) {
    centroid_norms[static_cast<size_t>(c)] =
        squared_norm(centroids + static_cast<size_t>(c) * dim, dim);
  }
  const int64_t n_blocks = (n + kBlockRows - 1) / kBlockRows;
  const int n_threads = static_cast<int>(std::min<int64_t>(threads, n_blocks));
  // Our threads each run their own product: BLAS threads on top would oversubscribe.
  ScopedBlasThreads blas(n_threads > 1 ? 1 : blas_threads());
  std::vector<std::vector<float>> scratch(static_cast<size_t>(n_threads));
  parallel_blocks(n_blocks, n_threads, [&](int64_t block) {
    const int64_t first = block * kBlockRows;
    const int64_t m = std::min(n, first + kBlockRows) - first;
    // Threads take blocks round-robin, so block % n_threads names the thread.
    std::vector<float>& dots = scratch[static_cast<size_t>(block % n_threads)];
    dots.resize(static_cast<size_t>(m) * static_cast<size_t>(k));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), k, dim, 1.0f,
                rows + first * stride, static_cast<int>(stride), centroids, dim, 0.0f, dots.data(),
                k);
    for (int64_t i = 0; i < m; ++i) {
      const float x_norm = squared_norm(rows + (first + i) * stride, dim);
      const float* dot = dots.data() + i * k;
      int best = 0;
      float best_distance = std::numeric_limits<float>::infinity();
      for (int c = 0; c < k; ++c) {
        float d = x_norm - 2.0f * dot[c] + centroid_norms[static_cast<size_t>(c)];
        if (d < best_distance) {
          best_distance = d;
          best = c;
        }
      }
      if (labels) labels[first + i] = best;
      // The expansion can go slightly negative by rounding when x sits on its centroid.
      if (distances) distances[first + i] = std::max(best_distance, 0.0f);
    }
  });
}

namespace {

struct TrainedCentroids {
  std::vector<float> centroids;
  double inertia = 0;  // of the training rows against the returned centroids
  int iterations = 0;
};

// One run of k-means++ seeding and Lloyd iterations on the training rows.
TrainedCentroids train_centroids(const float* train, int64_t n_train, int dim, int64_t stride,
                                 int k, const KMeansOptions& options, uint64_t seed, int threads) {
  TrainedCentroids out;
  std::mt19937_64 rng(seed);
  out.centroids = seed_plus_plus(train, n_train, dim, stride, k, rng, threads);
  std::vector<int32_t> labels(static_cast<size_t>(n_train), -1);
  std::vector<int32_t> previous;
  std::vector<float> distances(static_cast<size_t>(n_train));
  double previous_inertia = std::numeric_limits<double>::infinity();
  bool assigned = false;  // labels and distances match the current centroids
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    previous = labels;
    assign_to_centroids(train, n_train, dim, stride, out.centroids.data(), k, labels.data(),
                        distances.data(), threads);
    assigned = true;
    double inertia = 0;
    for (float d : distances) inertia += d;
    if (iteration > 0 && (labels == previous ||
                          previous_inertia - inertia <= options.tolerance * previous_inertia)) {
      break;
    }
    previous_inertia = inertia;
    auto counts =
        update_centroids(train, n_train, dim, stride, labels, k, options.spherical, out.centroids);
    reseed_empty(train, dim, stride, labels, distances, counts, out.centroids);
    assigned = false;
    out.iterations = iteration + 1;
  }
  if (!assigned) {
    assign_to_centroids(train, n_train, dim, stride, out.centroids.data(), k, nullptr,
                        distances.data(), threads);
  }
  for (float d : distances) out.inertia += d;
  return out;
}

}  // namespace

Result<KMeansResult> kmeans(const float* rows, int64_t n, int dim, int64_t stride,
                            const KMeansOptions& options) {
  if (n <= 0) return invalid_argument("kmeans: no rows to cluster");
  if (dim < 1)
    return invalid_argument("kmeans: dim must be at least 1, got " + std::to_string(dim));
  if (stride < dim) {
    return invalid_argument("kmeans: stride " + std::to_string(stride) + " is below dim " +
                            std::to_string(dim));
  }
  if (options.k < 1)
    return invalid_argument("kmeans: k must be at least 1, got " + std::to_string(options.k));
  if (options.max_iterations < 0) return invalid_argument("kmeans: max_iterations is negative");
  const int threads = resolve_threads(options.threads);

  // The training rows: all of them, or a seeded sample.
  const float* train = rows;
  int64_t n_train = n;
  int64_t train_stride = stride;
  std::vector<float> sampled;
  if (options.sample > 0 && options.sample < n) {
    sampled = gather_rows(rows, dim, stride,
                          sample_indices(n, options.sample, options.seed ^ 0x5851f42d4c957f2dULL));
    train = sampled.data();
    n_train = options.sample;
    train_stride = dim;
  }

  KMeansResult result;
  result.k = static_cast<int>(std::min<int64_t>(options.k, n_train));
  result.dim = dim;
  double best_inertia = std::numeric_limits<double>::infinity();
  for (int restart = 0; restart < std::max(1, options.restarts); ++restart) {
    // Restart r uses its own stream of choices; restart 0 is the plain seed.
    TrainedCentroids trained = train_centroids(
        train, n_train, dim, train_stride, result.k, options,
        options.seed + static_cast<uint64_t>(restart) * 0x9e3779b97f4a7c15ULL, threads);
    if (trained.inertia < best_inertia) {
      best_inertia = trained.inertia;
      result.centroids = std::move(trained.centroids);
      result.iterations = trained.iterations;
    }
  }

  // Final assignment of every row (not just the training sample) to the final centroids.
  result.labels.resize(static_cast<size_t>(n));
  result.distances.resize(static_cast<size_t>(n));
  assign_to_centroids(rows, n, dim, stride, result.centroids.data(), result.k, result.labels.data(),
                      result.distances.data(), threads);
  result.sizes.assign(static_cast<size_t>(result.k), 0);
  for (int32_t label : result.labels) ++result.sizes[static_cast<size_t>(label)];
  for (float d : result.distances) result.inertia += d;
  return result;
}

double silhouette(const float* rows, int64_t n, int dim, int64_t stride, const int32_t* labels,
                  int64_t sample, uint64_t seed, int threads) {
  if (n < 2) return 0;
  const int64_t m = sample > 0 && sample < n ? sample : n;
  std::vector<int64_t> picked = sample_indices(n, m, seed);
  std::vector<float> x = gather_rows(rows, dim, stride, picked);
  // Dense cluster numbers for the sampled rows.
  std::vector<int32_t> raw(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i)
    raw[static_cast<size_t>(i)] = labels[picked[static_cast<size_t>(i)]];
  std::vector<int32_t> distinct = raw;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const int n_clusters = static_cast<int>(distinct.size());
  if (n_clusters < 2) return 0;
  std::vector<int32_t> cluster(static_cast<size_t>(m));
  std::vector<int64_t> cluster_size(static_cast<size_t>(n_clusters), 0);
  for (int64_t i = 0; i < m; ++i) {
    auto it = std::lower_bound(distinct.begin(), distinct.end(), raw[static_cast<size_t>(i)]);
    cluster[static_cast<size_t>(i)] = static_cast<int32_t>(it - distinct.begin());
    ++cluster_size[static_cast<size_t>(cluster[static_cast<size_t>(i)])];
  }
  std::vector<float> norms(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i)
    norms[static_cast<size_t>(i)] = squared_norm(x.data() + i * dim, dim);

  threads = resolve_threads(threads);
  const int64_t n_blocks = (m + kBlockRows - 1) / kBlockRows;
  const int n_threads = static_cast<int>(std::min<int64_t>(threads, n_blocks));
  ScopedBlasThreads blas(n_threads > 1 ? 1 : blas_threads());
  std::vector<double> scores(static_cast<size_t>(m), 0.0);
  parallel_blocks(n_blocks, n_threads, [&](int64_t block) {
    const int64_t first = block * kBlockRows;
    const int64_t rows_here = std::min(m, first + kBlockRows) - first;
    std::vector<float> dots(static_cast<size_t>(rows_here) * static_cast<size_t>(m));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows_here),
                static_cast<int>(m), dim, 1.0f, x.data() + first * dim, dim, x.data(), dim, 0.0f,
                dots.data(), static_cast<int>(m));
    std::vector<double> sums(static_cast<size_t>(n_clusters));
    for (int64_t r = 0; r < rows_here; ++r) {
      const int64_t i = first + r;
      std::fill(sums.begin(), sums.end(), 0.0);
      for (int64_t j = 0; j < m; ++j) {
        if (j == i) continue;
        float d2 = norms[static_cast<size_t>(i)] - 2.0f * dots[static_cast<size_t>(r * m + j)] +
                   norms[static_cast<size_t>(j)];
        sums[static_cast<size_t>(cluster[static_cast<size_t>(j)])] += std::sqrt(std::max(d2, 0.0f));
      }
      const int own = cluster[static_cast<size_t>(i)];
      const int64_t own_size = cluster_size[static_cast<size_t>(own)];
      if (own_size < 2) continue;  // a singleton scores 0
      const double a = sums[static_cast<size_t>(own)] / static_cast<double>(own_size - 1);
      double b = std::numeric_limits<double>::infinity();
      for (int c = 0; c < n_clusters; ++c) {
        if (c == own) continue;
        b = std::min(b, sums[static_cast<size_t>(c)] /
                            static_cast<double>(cluster_size[static_cast<size_t>(c)]));
      }
      const double denominator = std::max(a, b);
      scores[static_cast<size_t>(i)] = denominator > 0 ? (b - a) / denominator : 0.0;
    }
  });
  double total = 0;
  for (double s : scores) total += s;
  return total / static_cast<double>(m);
}

}  // namespace pixlake
