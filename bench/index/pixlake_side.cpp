// pixlake through its public API only (include/pixlake/index.h), as a user of the library.
#include <string>
#include <utility>
#include <vector>

#include "pixlake/index.h"
#include "sides.h"

namespace pixlake::bench {

namespace {

class PixlakeSide : public Side {
 public:
  PixlakeSide(std::string factory, int ef_construction)
      : factory_(std::move(factory)), ef_construction_(ef_construction) {}

  std::string name() const override { return "pixlake " + factory_; }
  std::string params() const override {
    return factory_ + " ef_construction=" + std::to_string(ef_construction_);
  }

  Status build(const Dataset& data, int n_threads) override {
    // Unit vectors under inner product, like the peers, rather than kCosine: the same work
    // for every side (kCosine would also normalise each query).
    Metric metric = data.distance == Distance::kL2 ? Metric::kL2 : Metric::kInnerProduct;
    IndexBuildOptions options;
    options.ef_construction = ef_construction_;
    options.threads = n_threads;
    PIXLAKE_ASSIGN_OR_RETURN(index_, make_index(factory_, data.dim, metric, options));
    std::vector<int64_t> ids(data.n_base);
    for (int64_t row = 0; row < data.n_base; ++row) ids[row] = row;
    return index_->add(data.n_base, data.base.data(), ids.data());
  }

  size_t memory_bytes() const override { return index_ ? index_->memory_bytes() : 0; }
  void set_ef(int ef) override { params_.ef = ef; }

  Status search(const float* query, int k, int64_t* labels) const override {
    float distances[256];
    if (k > 256) return invalid_argument("index_bench: k above 256");
    return index_->search(1, query, k, distances, labels, params_);
  }

 private:
  std::string factory_;
  int ef_construction_;
  std::unique_ptr<Index> index_;
  SearchParams params_;
};

}  // namespace

std::unique_ptr<Side> make_pixlake_side(const std::string& factory, int ef_construction) {
  return std::make_unique<PixlakeSide>(factory, ef_construction);
}

}  // namespace pixlake::bench
