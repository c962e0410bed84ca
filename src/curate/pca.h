// Principal component analysis of a row-major float matrix: the 2-D projection of a map (and
// of its layout's starting point), and the step that shrinks embeddings to ~50 dimensions
// before a k-NN graph is built on a large sample.
//
//   PIXLAKE_ASSIGN_OR_RETURN(Pca pca, fit_pca(rows, n, dim, stride, 2));
//   std::vector<float> xy(n * 2);
//   pca_project(pca, rows, n, stride, xy.data());
//
// Deterministic: the same input gives the same axes bit for bit at a fixed BLAS thread count,
// and each axis is signed so that its largest-magnitude entry is positive.
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

struct Pca {
  int dim = 0;
  int components = 0;
  std::vector<float> mean;       // dim
  std::vector<float> axes;       // components x dim, row-major, orthonormal rows
  std::vector<double> variance;  // per component (sample variance, n - 1), descending
};

// The top `components` principal axes of n rows of `dim` floats, `stride` floats apart.
// InvalidArgument when n < 1, dim < 1, stride < dim or components is not in [1, dim].
// threads == 0: all cores (for the covariance product).
Result<Pca> fit_pca(const float* rows, int64_t n, int dim, int64_t stride, int components,
                    int threads = 0);

// out[row * components + c] = (rows[row] - mean) . axes[c], for n rows `stride` floats apart.
void pca_project(const Pca& pca, const float* rows, int64_t n, int64_t stride, float* out);

}  // namespace pixlake
