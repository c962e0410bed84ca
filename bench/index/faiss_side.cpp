// FAISS's IndexHNSWFlat (Debian libfaiss-dev, a prebuilt static library: its distance code is
// compiled with Debian's flags, not ours).
#include <faiss/IndexHNSW.h>
#include <omp.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <string>

#include "sides.h"

namespace pixlake::bench {

namespace {

class FaissSide : public Side {
 public:
  explicit FaissSide(const PeerOptions& options) : options_(options) {}

  std::string name() const override { return "faiss"; }
  std::string params() const override {
    return "IndexHNSWFlat M=" + std::to_string(options_.m) +
           " ef_construction=" + std::to_string(options_.ef_construction);
  }

  Status build(const Dataset& data, int n_threads) override {
    try {
      faiss::MetricType metric =
          data.distance == Distance::kL2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
      index_ = std::make_unique<faiss::IndexHNSWFlat>(data.dim, options_.m, metric);
      index_->hnsw.efConstruction = options_.ef_construction;
      // FAISS parallelises add with OpenMP; the calling thread's setting applies.
      omp_set_num_threads(std::max(1, n_threads));
      index_->add(data.n_base, data.base.data());
    } catch (const std::exception& e) {
      return internal_error(std::string("faiss: ") + e.what());
    }
    return Status::ok();
  }

  size_t memory_bytes() const override {
    if (!index_) return 0;
    const faiss::HNSW& hnsw = index_->hnsw;
    size_t vectors = static_cast<size_t>(index_->ntotal) * index_->d * sizeof(float);
    return vectors + hnsw.neighbors.capacity() * sizeof(faiss::HNSW::storage_idx_t) +
           hnsw.offsets.capacity() * sizeof(size_t) + hnsw.levels.capacity() * sizeof(int);
  }

  void set_ef(int ef) override { index_->hnsw.efSearch = ef; }

  Status search(const float* query, int k, int64_t* labels) const override {
    // IndexHNSW::search opens an OpenMP region even for one query; one thread per caller
    // (a new std::thread starts from the process default, all cores).
    thread_local bool single_omp_thread = (omp_set_num_threads(1), true);
    (void)single_omp_thread;
    float distances[256];
    if (k > 256) return invalid_argument("index_bench: k above 256");
    try {
      index_->search(1, query, k, distances, labels);
    } catch (const std::exception& e) {
      return internal_error(std::string("faiss: ") + e.what());
    }
    return Status::ok();
  }

 private:
  PeerOptions options_;
  std::unique_ptr<faiss::IndexHNSWFlat> index_;
};

}  // namespace

std::unique_ptr<Side> make_faiss_side(const PeerOptions& options) {
  return std::make_unique<FaissSide>(options);
}

}  // namespace pixlake::bench
