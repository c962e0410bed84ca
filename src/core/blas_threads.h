// How many threads the BLAS library (OpenBLAS) may use inside one GEMM call. Callers that run
// several inferences in parallel set it to 1 so that the cores are not oversubscribed (N
// workers x N BLAS threads spend their time spinning and context switching).
#pragma once

namespace pixlake {

int blas_threads();
void set_blas_threads(int n_threads);

// Sets the BLAS thread count for the lifetime of the object, then restores it.
class ScopedBlasThreads {
 public:
  explicit ScopedBlasThreads(int n_threads) : previous_(blas_threads()) {
    set_blas_threads(n_threads);
  }
  ~ScopedBlasThreads() { set_blas_threads(previous_); }
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

 private:
  int previous_;
};

}  // namespace pixlake
