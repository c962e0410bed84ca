#include "core/blas_threads.h"

#include <cblas.h>

namespace pixlake {

int blas_threads() { return openblas_get_num_threads(); }

void set_blas_threads(int n_threads) { openblas_set_num_threads(n_threads < 1 ? 1 : n_threads); }

}  // namespace pixlake
