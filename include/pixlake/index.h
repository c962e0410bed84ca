// Vector indexes: the exact FlatIndex and the HNSW graph index, behind one interface.
//
//   auto index = pixlake::make_index("HNSW32,SQ8", 512, pixlake::Metric::kCosine);
//   (*index)->add(n, vectors, ids);
//   (*index)->search(1, query, 10, distances, labels);      // smaller distance = closer
//   (*index)->save("photos.pxi");  auto again = pixlake::load_index("photos.pxi");
//
// Distances: kL2 is the squared Euclidean distance; kInnerProduct is 1 - <q, x> (so that
// smaller is closer everywhere); kCosine normalises vectors on add and queries on search, then
// is 1 - cosine. Labels are caller-chosen int64 ids (the lake uses image ids).
//
// Thread safety: search() may run from many threads at once, and alongside add()/remove() on
// HnswIndex (readers take a shared lock, writers an exclusive one). FlatIndex's add/remove are
// not concurrent with search.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

enum class Metric { kL2, kInnerProduct, kCosine };

// How an index keeps vectors for graph traversal. kF16 / kBf16 keep two bytes per dimension
// (IEEE half / bfloat16). kSq8 keeps one byte per dimension (a per-dimension minimum and a
// common step learnt from the data) and re-ranks the final candidates with a float16 copy.
// The numbers are the file format's codec field.
enum class VectorCodec { kF32 = 0, kSq8 = 1, kF16 = 2, kBf16 = 3 };

// Restricts a search to some labels. Exactly one of the two forms is used:
// a predicate, or a sorted list of allowed labels (faster for the planner: its size is known).
struct SearchFilter {
  std::function<bool(int64_t label)> allows;
  const std::vector<int64_t>* allowed_sorted = nullptr;

  bool accepts(int64_t label) const;
  // Fraction of `total` labels this filter lets through, when it can tell (-1 when not).
  double selectivity(int64_t total) const;
};

struct SearchParams {
  int ef = 64;  // HNSW candidate list size (raised to k when smaller); ignored by FlatIndex
  const SearchFilter* filter = nullptr;
  // Below this fraction of the collection allowed, a filtered HNSW search scores the allowed
  // vectors exactly instead of walking the graph (see docs/index.md for the measurement).
  double exact_below = 0.02;
};

class Index {
 public:
  virtual ~Index() = default;

  int dim() const { return dim_; }
  Metric metric() const { return metric_; }
  virtual int64_t size() const = 0;  // live vectors (removed ones not counted)
  // The largest label ever added, removed ones included; -1 for an empty index. The lake
  // labels vectors with append-only row numbers, so this says which rows an index covers.
  virtual int64_t max_label() const = 0;
  virtual std::string description() const = 0;  // the factory string, e.g. "HNSW32,SQ8"
  virtual size_t memory_bytes() const = 0;      // heap + mapped bytes held for vectors/graph

  // Adds n vectors (n * dim floats) with labels ids[0..n). A label already present is replaced
  // (update). Vectors with NaN/Inf are refused, naming the row.
  virtual Status add(int64_t n, const float* x, const int64_t* ids) = 0;
  // Removes labels; unknown ones are ignored. Returns how many were removed.
  virtual int64_t remove(int64_t n, const int64_t* ids) = 0;
  // For each of n queries writes k (distance, label) pairs, closest first; missing results are
  // label -1 with distance +inf.
  virtual Status search(int64_t n, const float* queries, int k, float* distances, int64_t* labels,
                        const SearchParams& params = {}) const = 0;
  // Writes the index to `path` crash-safely (temporary file, fsync, rename).
  virtual Status save(const std::string& path) const = 0;

 protected:
  Index(int dim, Metric metric) : dim_(dim), metric_(metric) {}

 private:
  int dim_;
  Metric metric_;
};

// "Flat" (exact), "HNSW<M>", "HNSW<M>,F16", "HNSW<M>,BF16" or "HNSW<M>,SQ8" (M = links per
// node, e.g. HNSW32,SQ8).
// Build-time options: ef_construction (default 200) and threads for add (default: all cores).
struct IndexBuildOptions {
  int ef_construction = 200;
  int threads = 0;  // 0: hardware concurrency
  uint64_t seed = 1234;
};
Result<std::unique_ptr<Index>> make_index(const std::string& factory, int dim, Metric metric,
                                          const IndexBuildOptions& options = {});
// Opens an index written by save(). The file is memory-mapped and searched in place (the first
// add/remove copies what it changes into memory). With `verify` every section checksum, link
// and label is checked, which reads the whole file; without it only the header, the section
// bounds and the node levels are (a 10M-vector index opens in milliseconds), and searches
// bound-check the links they follow, so a damaged file gives poor answers, never a crash.
Result<std::unique_ptr<Index>> load_index(const std::string& path, bool verify = true);

}  // namespace pixlake
