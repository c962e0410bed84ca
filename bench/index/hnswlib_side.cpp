// hnswlib (Debian libhnswlib-dev, header-only) compiled into this binary with the same ISA
// flags as pixlake's AVX-512 kernels (see CMakeLists.txt), so its distance functions are the
// AVX-512 ones. hnswlib.h defines non-inline functions: it may be included in this file only.
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sides.h"

namespace pixlake::bench {

const char* hnswlib_simd() {
#if defined(USE_AVX512)
  return "avx512";
#elif defined(USE_AVX)
  return "avx";
#elif defined(USE_SSE)
  return "sse";
#else
  return "scalar";
#endif
}

namespace {

class HnswlibSide : public Side {
 public:
  explicit HnswlibSide(const PeerOptions& options) : options_(options) {}

  std::string name() const override { return "hnswlib"; }
  std::string params() const override {
    return "M=" + std::to_string(options_.m) +
           " ef_construction=" + std::to_string(options_.ef_construction) +
           " simd=" + hnswlib_simd();
  }

  Status build(const Dataset& data, int n_threads) override {
    try {
      if (data.distance == Distance::kL2) {
        space_ = std::make_unique<hnswlib::L2Space>(data.dim);
      } else {
        space_ = std::make_unique<hnswlib::InnerProductSpace>(data.dim);
      }
      index_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
          space_.get(), data.n_base, options_.m, options_.ef_construction);
    } catch (const std::exception& e) {
      return internal_error(std::string("hnswlib: ") + e.what());
    }
    // hnswlib's C++ API has no parallel add; addPoint is thread-safe, and this is what its
    // Python binding's add_items does: threads take rows from a shared counter.
    std::atomic<int64_t> next{0};
    std::mutex error_mutex;
    std::string error;
    auto worker = [&] {
      for (int64_t row = next++; row < data.n_base; row = next++) {
        try {
          index_->addPoint(data.base.data() + row * data.dim, static_cast<size_t>(row));
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(error_mutex);
          error = e.what();
          next = data.n_base;
        }
      }
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < std::max(1, n_threads); ++t) workers.emplace_back(worker);
    for (auto& thread : workers) thread.join();
    if (!error.empty()) return internal_error("hnswlib: " + error);
    return Status::ok();
  }

  size_t memory_bytes() const override {
    if (!index_) return 0;
    const auto& h = *index_;
    // Level-0 block (vector + links + label per element), upper-level link lists, and
    // per-element bookkeeping: link pointer, level, lock, label map entry (~32 bytes).
    size_t bytes = h.max_elements_ * h.size_data_per_element_;
    for (size_t i = 0; i < h.cur_element_count; ++i)
      bytes += static_cast<size_t>(h.element_levels_[i]) * h.size_links_per_element_;
    bytes += h.max_elements_ * (sizeof(char*) + sizeof(int) + sizeof(std::mutex) + 32);
    return bytes;
  }

  void set_ef(int ef) override { index_->setEf(static_cast<size_t>(ef)); }

  Status search(const float* query, int k, int64_t* labels) const override {
    auto result = index_->searchKnn(query, static_cast<size_t>(k));
    // The queue pops the farthest first.
    int n = static_cast<int>(result.size());
    for (int i = n; i < k; ++i) labels[i] = -1;
    for (int i = n - 1; i >= 0; --i) {
      labels[i] = static_cast<int64_t>(result.top().second);
      result.pop();
    }
    return Status::ok();
  }

 private:
  PeerOptions options_;
  std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> index_;
};

}  // namespace

std::unique_ptr<Side> make_hnswlib_side(const PeerOptions& options) {
  return std::make_unique<HnswlibSide>(options);
}

}  // namespace pixlake::bench
