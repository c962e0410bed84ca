// One "side" of the benchmark: an index library behind the few calls the benchmark makes, so
// that pixlake, hnswlib and FAISS are built, timed and queried by the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "datasets.h"
#include "pixlake/status.h"

namespace pixlake::bench {

class Side {
 public:
  virtual ~Side() = default;

  virtual std::string name() const = 0;    // "pixlake HNSW16,SQ8", "hnswlib", "faiss"
  virtual std::string params() const = 0;  // build parameters, e.g. "M=16 ef_construction=200"
  // Adds every base vector (label = row number) using n_threads threads. The caller times it
  // and measures the process's resident memory around it.
  virtual Status build(const Dataset& data, int n_threads) = 0;
  // The index's own size: pixlake's memory_bytes(), or for the peers an estimate from their
  // data structures (vectors + links + bookkeeping), stated in the README.
  virtual size_t memory_bytes() const = 0;
  // Search-time candidate list size. Not called while searches run.
  virtual void set_ef(int ef) = 0;
  // The k closest labels of one query, closest first. Safe to call from several threads.
  virtual Status search(const float* query, int k, int64_t* labels) const = 0;
};

struct PeerOptions {
  int m = 16;  // links per node (2*M on the bottom layer, as in all three libraries)
  int ef_construction = 200;
};

std::unique_ptr<Side> make_pixlake_side(const std::string& factory, int ef_construction);
std::unique_ptr<Side> make_hnswlib_side(const PeerOptions& options);
std::unique_ptr<Side> make_faiss_side(const PeerOptions& options);

// The SIMD level hnswlib's distance functions were compiled for ("avx512", "avx", "sse",
// "scalar"); it picks AVX-512 at run time only when compiled with it.
const char* hnswlib_simd();

}  // namespace pixlake::bench
