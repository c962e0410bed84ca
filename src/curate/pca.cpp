#include "curate/pca.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/blas_threads.h"
#include "index/index_util.h"

namespace pixlake {
namespace {

// Rows centred and multiplied per BLAS call: bounds the copy at 4096 x dim floats.
constexpr int64_t kBlockRows = 4096;
// Extra vectors carried by the subspace iteration: convergence of axis c goes with
// (lambda_p / lambda_c)^iterations, so a few more than asked make it fast.
constexpr int kOversample = 8;
constexpr int kMaxIterations = 500;
// Converged when ||C v - l v|| <= kTolerance * l_1 for every asked axis v: axes then err by
// about kTolerance * l_1 / gap radians, far below what a map or a k-NN graph can notice.
constexpr double kTolerance = 1e-7;

// splitmix64: the start of the iteration, the same on every platform (std's distributions
// are not).
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Eigen-decomposition of a small symmetric p x p matrix (row-major) by cyclic Jacobi
// rotations: `a` is destroyed, values land in `values` and vectors in the columns of `vectors`.
void jacobi_eigen(std::vector<double>& a, int p, std::vector<double>& values,
                  std::vector<double>& vectors) {
  vectors.assign(static_cast<size_t>(p) * p, 0.0);
  for (int i = 0; i < p; ++i) vectors[i * p + i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int i = 0; i < p; ++i)
      for (int j = i + 1; j < p; ++j) off += a[i * p + j] * a[i * p + j];
    if (off < 1e-30) break;
    for (int i = 0; i < p; ++i) {
      for (int j = i + 1; j < p; ++j) {
        const double aij = a[i * p + j];
        if (std::abs(aij) < 1e-300) continue;
        const double theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int r = 0; r < p; ++r) {  // columns i, j
          const double ri = a[r * p + i], rj = a[r * p + j];
          a[r * p + i] = c * ri - s * rj;
          a[r * p + j] = s * ri + c * rj;
        }
        for (int r = 0; r < p; ++r) {  // rows i, j
          const double ir = a[i * p + r], jr = a[j * p + r];
          a[i * p + r] = c * ir - s * jr;
          a[j * p + r] = s * ir + c * jr;
        }
        for (int r = 0; r < p; ++r) {
          const double vi = vectors[r * p + i], vj = vectors[r * p + j];
          vectors[r * p + i] = c * vi - s * vj;
          vectors[r * p + j] = s * vi + c * vj;
        }
      }
    }
  }
  values.resize(p);
  for (int i = 0; i < p; ++i) values[i] = a[i * p + i];
}

// Orthonormalises the p columns of q (dim x p, row-major) by modified Gram-Schmidt. A column
// that vanishes (rank below p) is replaced by a fresh pseudo-random one.
void orthonormalise(std::vector<double>& q, int dim, int p, uint64_t& rng) {
  for (int c = 0; c < p; ++c) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      for (int prev = 0; prev < c; ++prev) {
        double dot = 0;
        for (int r = 0; r < dim; ++r) dot += q[r * p + c] * q[r * p + prev];
        for (int r = 0; r < dim; ++r) q[r * p + c] -= dot * q[r * p + prev];
      }
      double norm = 0;
      for (int r = 0; r < dim; ++r) norm += q[r * p + c] * q[r * p + c];
      norm = std::sqrt(norm);
      if (norm > 1e-12) {
        for (int r = 0; r < dim; ++r) q[r * p + c] /= norm;
        break;
      }
      for (int r = 0; r < dim; ++r)
        q[r * p + c] = static_cast<double>(splitmix64(rng) >> 11) * 0x1.0p-53 - 0.5;
    }
  }
}

// Sample covariance (dim x dim, row-major, double) of the rows around `mean`.
std::vector<double> covariance(const float* rows, int64_t n, int dim, int64_t stride,
                               const std::vector<float>& mean) {
  std::vector<double> cov(static_cast<size_t>(dim) * dim, 0.0);
  std::vector<float> block(static_cast<size_t>(std::min(n, kBlockRows)) * dim);
  std::vector<float> product(static_cast<size_t>(dim) * dim);
  for (int64_t first = 0; first < n; first += kBlockRows) {
    const int64_t count = std::min(kBlockRows, n - first);
    for (int64_t r = 0; r < count; ++r) {
      const float* src = rows + (first + r) * stride;
      for (int d = 0; d < dim; ++d) block[r * dim + d] = src[d] - mean[d];
    }
    // Float products of at most 4096 rows, summed in double across blocks.
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, dim, static_cast<int>(count), 1.0f,
                block.data(), dim, 0.0f, product.data(), dim);
    for (int i = 0; i < dim; ++i)
      for (int j = i; j < dim; ++j) cov[i * dim + j] += product[i * dim + j];
  }
  const double scale = n > 1 ? 1.0 / static_cast<double>(n - 1) : 1.0;
  for (int i = 0; i < dim; ++i) {
    for (int j = i; j < dim; ++j) {
      cov[i * dim + j] *= scale;
      cov[j * dim + i] = cov[i * dim + j];
    }
  }
  return cov;
}

}  // namespace

Result<Pca> fit_pca(const float* rows, int64_t n, int dim, int64_t stride, int components,
                    int threads) {
  if (n < 1 || dim < 1 || stride < dim) {
    return invalid_argument("pca: need at least one row of at least one value (got " +
                            std::to_string(n) + " rows of " + std::to_string(dim) +
                            " values, stride " + std::to_string(stride) + ")");
  }
  if (components < 1 || components > dim) {
    return invalid_argument("pca: components must be in [1, " + std::to_string(dim) + "], got " +
                            std::to_string(components));
  }
  ScopedBlasThreads blas(resolve_threads(threads));
  Pca pca;
  pca.dim = dim;
  pca.components = components;
  std::vector<double> mean(dim, 0.0);
  for (int64_t r = 0; r < n; ++r)
    for (int d = 0; d < dim; ++d) mean[d] += rows[r * stride + d];
  pca.mean.resize(dim);
  for (int d = 0; d < dim; ++d) pca.mean[d] = static_cast<float>(mean[d] / static_cast<double>(n));
  const std::vector<double> cov = covariance(rows, n, dim, stride, pca.mean);

  // Subspace iteration with a Rayleigh-Ritz step each round: Z = C Q, B = Q^T Z, B = V L V^T;
  // the Ritz vectors Q V are accurate once C (Q V) ~ (Q V) L for the asked components.
  const int p = std::min(dim, components + kOversample);
  uint64_t rng = 0x5eed0fca11u;
  std::vector<double> q(static_cast<size_t>(dim) * p), z(q.size()), ritz(q.size());
  for (double& v : q) v = static_cast<double>(splitmix64(rng) >> 11) * 0x1.0p-53 - 0.5;
  orthonormalise(q, dim, p, rng);
  std::vector<double> b(static_cast<size_t>(p) * p), values, vectors;
  std::vector<int> order(p);
  for (int iteration = 0;; ++iteration) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dim, p, dim, 1.0, cov.data(), dim,
                q.data(), p, 0.0, z.data(), p);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, p, dim, 1.0, q.data(), p, z.data(), p,
                0.0, b.data(), p);
    jacobi_eigen(b, p, values, vectors);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return values[x] > values[y]; });
    std::vector<double> sorted(static_cast<size_t>(p) * p);
    for (int i = 0; i < p; ++i)
      for (int c = 0; c < p; ++c) sorted[i * p + c] = vectors[i * p + order[c]];
    // Ritz vectors Q V and their images Z V.
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dim, p, p, 1.0, q.data(), p,
                sorted.data(), p, 0.0, ritz.data(), p);
    std::vector<double> zv(q.size());
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dim, p, p, 1.0, z.data(), p,
                sorted.data(), p, 0.0, zv.data(), p);
    const double top = std::max(std::abs(values[order[0]]), 1e-300);
    double worst = 0;
    for (int c = 0; c < components; ++c) {
      double residual = 0;
      for (int r = 0; r < dim; ++r) {
        const double e = zv[r * p + c] - values[order[c]] * ritz[r * p + c];
        residual += e * e;
      }
      worst = std::max(worst, std::sqrt(residual) / top);
    }
    if (worst < kTolerance || iteration + 1 >= kMaxIterations) {
      pca.axes.resize(static_cast<size_t>(components) * dim);
      pca.variance.resize(components);
      for (int c = 0; c < components; ++c) {
        pca.variance[c] = std::max(0.0, values[order[c]]);
        // Sign: the largest-magnitude entry positive, so runs and platforms agree.
        int argmax = 0;
        for (int r = 1; r < dim; ++r)
          if (std::abs(ritz[r * p + c]) > std::abs(ritz[argmax * p + c]) + 1e-12) argmax = r;
        const double sign = ritz[argmax * p + c] < 0 ? -1.0 : 1.0;
        for (int r = 0; r < dim; ++r)
          pca.axes[c * dim + r] = static_cast<float>(sign * ritz[r * p + c]);
      }
      return pca;
    }
    q = std::move(zv);
    orthonormalise(q, dim, p, rng);
  }
}

void pca_project(const Pca& pca, const float* rows, int64_t n, int64_t stride, float* out) {
  const int dim = pca.dim, components = pca.components;
  std::vector<float> block(static_cast<size_t>(std::min(n, kBlockRows)) * dim);
  for (int64_t first = 0; first < n; first += kBlockRows) {
    const int64_t count = std::min(kBlockRows, n - first);
    // Centred before the product: embeddings share a large mean, and float dot products of
    // uncentred rows would lose the small differences a map is made of.
    for (int64_t r = 0; r < count; ++r) {
      const float* src = rows + (first + r) * stride;
      for (int d = 0; d < dim; ++d) block[r * dim + d] = src[d] - pca.mean[d];
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(count), components, dim,
                1.0f, block.data(), dim, pca.axes.data(), dim, 0.0f, out + first * components,
                components);
  }
}

}  // namespace pixlake
