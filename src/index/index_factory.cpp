// Factory strings, after faiss's index_factory: "Flat", "HNSW<M>", "HNSW<M>,SQ8".
#include <cctype>
#include <string>
#include <utility>

#include "index/flat_index.h"
#include "index/hnsw_index.h"

namespace pixlake {

Result<std::unique_ptr<Index>> make_index(const std::string& factory, int dim, Metric metric,
                                          const IndexBuildOptions& options) {
  if (dim < 1 || dim > 65536) {
    return invalid_argument("index: dimension " + std::to_string(dim) + " is out of range");
  }
  if (options.ef_construction < 1 || options.ef_construction > 100000) {
    return invalid_argument("index: ef_construction must be in [1, 100000]");
  }
  if (factory == "Flat") return std::unique_ptr<Index>(new FlatIndex(dim, metric));
  std::string spec = factory;
  VectorCodec codec = VectorCodec::kF32;
  for (const auto& [suffix, c] : {std::pair<std::string, VectorCodec>{",SQ8", VectorCodec::kSq8},
                                  {",F16", VectorCodec::kF16},
                                  {",BF16", VectorCodec::kBf16}}) {
    if (spec.size() > suffix.size() &&
        spec.compare(spec.size() - suffix.size(), suffix.size(), suffix) == 0) {
      codec = c;
      spec.resize(spec.size() - suffix.size());
      break;
    }
  }
  if (spec.rfind("HNSW", 0) == 0 && spec.size() > 4 && spec.size() <= 7) {
    int m = 0;
    for (size_t i = 4; i < spec.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(spec[i]))) {
        m = -1;
        break;
      }
      m = m * 10 + (spec[i] - '0');
    }
    if (m >= 2 && m <= 256) {
      return std::unique_ptr<Index>(new HnswIndex(dim, metric, m, codec, options));
    }
  }
  return invalid_argument("index: unknown factory string '" + factory +
                          "' (expected Flat or HNSW<M>[,F16|,BF16|,SQ8] with M in 2..256)");
}

}  // namespace pixlake
