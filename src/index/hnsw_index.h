// HNSW (Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search using
// Hierarchical Navigable Small World graphs"), written for pixlake: a flat level-0 link array
// (one cache-friendly block per node), SQ8 traversal with vpdpbusd and a float16 re-rank,
// tombstones for removal, filters applied during traversal, and a planner that scores the
// allowed set exactly when a filter lets little through.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "index/vector_set.h"
#include "pixlake/index.h"

namespace pixlake {

class HnswIndex final : public Index {
 public:
  HnswIndex(int dim, Metric metric, int m, VectorCodec codec, const IndexBuildOptions& options);

  int64_t size() const override;
  int64_t max_label() const override;
  std::string description() const override;
  size_t memory_bytes() const override;
  Status add(int64_t n, const float* x, const int64_t* ids) override;
  int64_t remove(int64_t n, const int64_t* ids) override;
  Status search(int64_t n, const float* queries, int k, float* distances, int64_t* labels,
                const SearchParams& params = {}) const override;
  Status save(const std::string& path) const override;

  // Rebuilds the graph without the removed vectors (after many removals).
  Status compact();
  int m() const { return m_; }

  // For the index file reader/writer (src/index/index_file.cpp).
  friend class HnswFile;

 private:
  struct Candidate {
    float distance;
    uint32_t node;
  };
  int64_t max_links(int level) const { return level == 0 ? 2 * m_ : m_; }
  // Level-0 links of a node: [count, n_0, n_1, ...] in one block of 2M + 1 slots.
  uint32_t* links0(uint32_t node) { return links0_.mutable_data() + size_t{node} * (2 * m_ + 1); }
  const uint32_t* links0(uint32_t node) const {
    return links0_.data() + size_t{node} * (2 * m_ + 1);
  }
  uint32_t* links(uint32_t node, int level);
  const uint32_t* links(uint32_t node, int level) const;

  void normalise_if_cosine(const float* in, float* out) const;
  void insert(uint32_t node, int level);
  std::vector<Candidate> search_layer(const PreparedQuery& q, uint32_t entry, int ef, int level,
                                      const SearchFilter* filter, bool lock) const;
  uint32_t greedy_descend(const PreparedQuery& q, uint32_t entry, int from_level, int to_level,
                          bool lock) const;
  std::vector<Candidate> select_neighbours(std::vector<Candidate> candidates, int64_t max) const;
  void link_back(uint32_t from, uint32_t to, int level);
  bool live(uint32_t node, const SearchFilter* filter) const;
  void search_one(const float* query, int k, const SearchParams& params, float* distances,
                  int64_t* labels) const;
  void exact_over(const PreparedQuery& q, const std::vector<int64_t>& allowed, int k,
                  float* distances, int64_t* labels) const;
  std::mutex& node_lock(uint32_t node) const { return node_locks_[node & (kLockStripes - 1)]; }

  static constexpr uint32_t kLockStripes = 4096;
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  int m_;
  IndexBuildOptions options_;
  double level_mult_;
  VectorSet vectors_;
  ArrayStore<int64_t> labels_;   // node -> label
  ArrayStore<uint8_t> removed_;  // tombstones
  ArrayStore<int8_t> levels_;
  ArrayStore<uint32_t> links0_;
  int64_t live_ = 0;  // nodes not removed
  // live label -> node, built on first use: an index opened from a file is searched without
  // it, so opening does not pay for hashing every label.
  const std::unordered_map<int64_t, uint32_t>& label_map() const;
  std::unordered_map<int64_t, uint32_t>& mutable_label_map();
  mutable std::unordered_map<int64_t, uint32_t> by_label_;
  mutable std::atomic<bool> by_label_ready_{true};
  mutable std::mutex by_label_lock_;
  std::vector<std::vector<uint32_t>> upper_;  // levels 1.. : level * (M + 1) slots per node
  int64_t max_label_ = -1;
  // Entry point and top level: written under entry_lock_ by insert(), and published together
  // in entry_state_ ((max_level + 1) << 32 | entry) for searches, which take no lock on them.
  void publish_entry() {
    entry_state_.store(
        entry_ == kNone ? kNoEntry : (uint64_t(uint32_t(max_level_ + 1)) << 32) | entry_,
        std::memory_order_release);
  }
  static constexpr uint64_t kNoEntry = ~uint64_t{0};
  std::atomic<uint64_t> entry_state_{kNoEntry};
  uint32_t entry_ = kNone;
  int max_level_ = -1;
  uint64_t rng_state_;

  // search: shared. add: exclusive while it grows the arrays and stores the vectors, then shared
  // while it links the new nodes (searches run meanwhile). remove/compact: exclusive.
  mutable std::shared_mutex rw_;
  mutable std::mutex writer_;  // one add/remove/compact/save at a time
  std::mutex entry_lock_;      // entry point and top level, during parallel insertion
  mutable std::unique_ptr<std::mutex[]> node_locks_;
};

}  // namespace pixlake
