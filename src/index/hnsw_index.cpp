#include "index/hnsw_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <thread>

#include "index/index_util.h"

namespace pixlake {
namespace {

// Per-thread visited marks: a node is visited when its tag equals the current epoch, so
// starting a search is O(1) instead of clearing an array the size of the index.
struct VisitedSet {
  std::vector<uint32_t> tags;
  uint32_t epoch = 0;

  void start(size_t n) {
    if (tags.size() < n) tags.resize(n, 0);
    if (++epoch == 0) {  // wrapped: old tags could match again
      std::fill(tags.begin(), tags.end(), 0);
      epoch = 1;
    }
  }
  bool test_and_set(uint32_t node) {
    if (tags[node] == epoch) return true;
    tags[node] = epoch;
    return false;
  }
};

VisitedSet& thread_visited() {
  thread_local VisitedSet visited;
  return visited;
}

struct Closer {
  template <typename C>
  bool operator()(const C& a, const C& b) const {
    return a.distance > b.distance;
  }
};
struct Farther {
  template <typename C>
  bool operator()(const C& a, const C& b) const {
    return a.distance < b.distance;
  }
};

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void prefetch(const void* p) { __builtin_prefetch(p, 0, 3); }

// Link lists are read by searches while an add links new nodes (the add holds the per-node
// lock, searches hold none): every access to a list slot is a relaxed atomic, which compiles
// to a plain load or store on x86-64 and keeps the race defined. A search may see a list
// half-rewritten; every slot it sees still names a node that exists.
uint32_t load_link(const uint32_t* p) {
  return std::atomic_ref<uint32_t>(*const_cast<uint32_t*>(p)).load(std::memory_order_relaxed);
}
void store_link(uint32_t* p, uint32_t value) {
  std::atomic_ref<uint32_t>(*p).store(value, std::memory_order_relaxed);
}

}  // namespace

HnswIndex::HnswIndex(int dim, Metric metric, int m, VectorCodec codec,
                     const IndexBuildOptions& options)
    : Index(dim, metric),
      m_(m),
      options_(options),
      level_mult_(1.0 / std::log(static_cast<double>(std::max(m, 2)))),
      vectors_(dim, metric != Metric::kL2, codec),
      rng_state_(options.seed),
      node_locks_(new std::mutex[kLockStripes]) {}

int64_t HnswIndex::size() const {
  std::shared_lock lock(rw_);
  return live_;
}

const std::unordered_map<int64_t, uint32_t>& HnswIndex::label_map() const {
  if (!by_label_ready_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> guard(by_label_lock_);
    if (!by_label_ready_.load(std::memory_order_relaxed)) {
      by_label_.clear();
      by_label_.reserve(static_cast<size_t>(live_));
      for (size_t node = 0; node < labels_.size(); ++node) {
        if (removed_[node] == 0) by_label_.emplace(labels_[node], static_cast<uint32_t>(node));
      }
      by_label_ready_.store(true, std::memory_order_release);
    }
  }
  return by_label_;
}

std::unordered_map<int64_t, uint32_t>& HnswIndex::mutable_label_map() {
  label_map();
  return by_label_;
}

int64_t HnswIndex::max_label() const {
  std::shared_lock lock(rw_);
  return max_label_;
}

std::string HnswIndex::description() const {
  switch (vectors_.codec()) {
    case VectorCodec::kSq8: return "HNSW" + std::to_string(m_) + ",SQ8";
    case VectorCodec::kF16: return "HNSW" + std::to_string(m_) + ",F16";
    case VectorCodec::kBf16: return "HNSW" + std::to_string(m_) + ",BF16";
    case VectorCodec::kF32: break;
  }
  return "HNSW" + std::to_string(m_);
}

size_t HnswIndex::memory_bytes() const {
  std::shared_lock lock(rw_);
  size_t upper = 0;
  for (const auto& u : upper_) upper += u.capacity() * sizeof(uint32_t) + sizeof(u);
  // The label map: a bucket pointer plus a node of key, value and next pointer per entry.
  size_t map = 0;
  {
    std::lock_guard<std::mutex> guard(by_label_lock_);
    map = by_label_.bucket_count() * sizeof(void*) + by_label_.size() * 32;
  }
  return vectors_.memory_bytes() + links0_.heap_bytes() + links0_.mapped_bytes() +
         labels_.heap_bytes() + labels_.mapped_bytes() + removed_.heap_bytes() +
         removed_.mapped_bytes() + levels_.heap_bytes() + levels_.mapped_bytes() + upper + map;
}

uint32_t* HnswIndex::links(uint32_t node, int level) {
  return level == 0 ? links0(node) : upper_[node].data() + size_t(level - 1) * (m_ + 1);
}

const uint32_t* HnswIndex::links(uint32_t node, int level) const {
  return level == 0 ? links0(node) : upper_[node].data() + size_t(level - 1) * (m_ + 1);
}

void HnswIndex::normalise_if_cosine(const float* in, float* out) const {
  std::copy(in, in + dim(), out);
  if (metric() == Metric::kCosine) normalise(out, dim());
}

bool HnswIndex::live(uint32_t node, const SearchFilter* filter) const {
  return removed_[node] == 0 && (filter == nullptr || filter->accepts(labels_[node]));
}

uint32_t HnswIndex::greedy_descend(const PreparedQuery& q, uint32_t entry, int from_level,
                                   int to_level, bool lock) const {
  uint32_t current = entry;
  float best = vectors_.distance(q, current);
  std::vector<uint32_t> neighbours;
  for (int level = from_level; level > to_level; --level) {
    for (bool changed = true; changed;) {
      changed = false;
      {
        std::unique_lock<std::mutex> guard;
        if (lock) guard = std::unique_lock<std::mutex>(node_lock(current));
        const uint32_t* list = links(current, level);
        const uint32_t count = std::min<uint32_t>(load_link(list), static_cast<uint32_t>(m_));
        neighbours.resize(count);
        for (uint32_t i = 0; i < count; ++i) neighbours[i] = load_link(list + 1 + i);
      }
      for (uint32_t next : neighbours) {
        // Bounds as followed (an index opened without verify may hold a damaged link).
        if (next >= labels_.size() || levels_[next] < level) continue;
        const float d = vectors_.distance(q, next);
        if (d < best) {
          best = d;
          current = next;
          changed = true;
        }
      }
    }
  }
  return current;
}

std::vector<HnswIndex::Candidate> HnswIndex::search_layer(const PreparedQuery& q, uint32_t entry,
                                                          int ef, int level,
                                                          const SearchFilter* filter,
                                                          bool lock) const {
  // Heaps kept per thread: a search allocates nothing once a thread has run one.
  struct Scratch {
    std::vector<Candidate> frontier;  // min-heap: closest on top
    std::vector<Candidate> found;     // max-heap: worst on top
    std::vector<uint32_t> neighbours;
  };
  thread_local Scratch scratch;
  std::vector<Candidate>& frontier = scratch.frontier;
  std::vector<Candidate>& found = scratch.found;
  std::vector<uint32_t>& neighbours = scratch.neighbours;
  frontier.clear();
  found.clear();
  neighbours.resize(size_t(max_links(level)));
  const Closer closer;
  const Farther farther;

  VisitedSet& visited = thread_visited();
  const uint32_t n_nodes = static_cast<uint32_t>(labels_.size());
  visited.start(n_nodes);
  const float d0 = vectors_.distance(q, entry);
  visited.test_and_set(entry);
  frontier.push_back({d0, entry});
  // During build every node counts (tombstones still route); queries keep only live ones.
  const bool build = lock;
  if (build || live(entry, filter)) found.push_back({d0, entry});
  float bound = found.empty() ? std::numeric_limits<float>::infinity() : found.front().distance;
  const size_t ef_size = static_cast<size_t>(ef);
  // The first lines of each row; the hardware prefetcher streams the rest once a row is read.
  const int64_t row_bytes = std::min<int64_t>(vectors_.traversal_row_bytes(), 256);
  while (!frontier.empty()) {
    const Candidate c = frontier.front();
    if (c.distance > bound && found.size() >= ef_size) break;
    std::pop_heap(frontier.begin(), frontier.end(), closer);
    frontier.pop_back();
    size_t count;
    {
      std::unique_lock<std::mutex> guard;
      if (lock) guard = std::unique_lock<std::mutex>(node_lock(c.node));
      const uint32_t* list = links(c.node, level);
      count = std::min<size_t>(load_link(list), neighbours.size());
      for (size_t i = 0; i < count; ++i) neighbours[i] = load_link(list + 1 + i);
    }
    // Unvisited neighbours first, with their rows requested at once: the loads then overlap
    // instead of each distance waiting for its own row.
    size_t fresh = 0;
    for (size_t i = 0; i < count; ++i) {
      const uint32_t next = neighbours[i];
      if (next >= n_nodes || visited.test_and_set(next)) continue;
      neighbours[fresh++] = next;
      const char* row = static_cast<const char*>(vectors_.traversal_row(next));
      for (int64_t line = 0; line < row_bytes; line += 64) prefetch(row + line);
    }
    for (size_t i = 0; i < fresh; ++i) {
      const uint32_t next = neighbours[i];
      const float d = vectors_.distance(q, next);
      if (found.size() < ef_size || d < bound) {
        frontier.push_back({d, next});
        std::push_heap(frontier.begin(), frontier.end(), closer);
        if (build || live(next, filter)) {
          found.push_back({d, next});
          std::push_heap(found.begin(), found.end(), farther);
          if (found.size() > ef_size) {
            std::pop_heap(found.begin(), found.end(), farther);
            found.pop_back();
          }
        }
        if (!found.empty()) bound = found.front().distance;
      }
    }
    // The next node to expand is known now: start loading its link list.
    if (!frontier.empty()) prefetch(links(frontier.front().node, level));
  }
  std::vector<Candidate> out(found.begin(), found.end());
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
  return out;  // closest first
}

std::vector<HnswIndex::Candidate> HnswIndex::select_neighbours(std::vector<Candidate> candidates,
                                                               int64_t max) const {
  // The paper's heuristic: keep a candidate only if it is closer to the new node than to every
  // neighbour kept so far, so links spread in different directions instead of clustering.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
  if (static_cast<int64_t>(candidates.size()) <= max) return candidates;
  std::vector<Candidate> kept;
  PreparedQuery as_query;
  for (const Candidate& c : candidates) {
    if (static_cast<int64_t>(kept.size()) >= max) break;
    vectors_.prepare_node(c.node, &as_query);
    bool diverse = true;
    for (const Candidate& k : kept) {
      if (vectors_.distance(as_query, k.node) < c.distance) {
        diverse = false;
        break;
      }
    }
    if (diverse) kept.push_back(c);
  }
  return kept;
}

void HnswIndex::link_back(uint32_t from, uint32_t to, int level) {
  std::lock_guard<std::mutex> guard(node_lock(from));
  uint32_t* list = links(from, level);
  const int64_t max = max_links(level);
  const uint32_t count = list[0];  // only lock holders change it
  if (count < max) {
    store_link(list + 1 + count, to);  // the slot first, then the count that makes it visible
    store_link(list, count + 1);
    return;
  }
  PreparedQuery q;
  vectors_.prepare_node(from, &q);
  std::vector<Candidate> candidates;
  candidates.reserve(size_t(max + 1));
  for (uint32_t i = 0; i < list[0]; ++i) {
    candidates.push_back({vectors_.distance(q, list[1 + i]), list[1 + i]});
  }
  candidates.push_back({vectors_.distance(q, to), to});
  const std::vector<Candidate> kept = select_neighbours(std::move(candidates), max);
  for (size_t i = 0; i < kept.size(); ++i) store_link(list + 1 + i, kept[i].node);
  store_link(list, static_cast<uint32_t>(kept.size()));
}

void HnswIndex::insert(uint32_t node, int level) {
  PreparedQuery q;
  vectors_.prepare_node(node, &q);
  std::unique_lock<std::mutex> top_lock(entry_lock_);
  const int top = max_level_;
  const uint32_t entry = entry_;
  if (entry == kNone) {
    entry_ = node;
    max_level_ = level;
    publish_entry();
    return;
  }
  if (level <= top) top_lock.unlock();  // only a new top level keeps the lock to the end
  uint32_t current = greedy_descend(q, entry, top, level, true);
  // Neighbours for every level first (top down, each level's search starting from the
  // previous level's best), then the links bottom up: a search that reaches the new node on
  // some level always finds its lists on that level and below filled in.
  const int linked_top = std::min(level, top);
  std::vector<std::vector<Candidate>> kept(static_cast<size_t>(linked_top + 1));
  for (int l = linked_top; l >= 0; --l) {
    std::vector<Candidate> found =
        search_layer(q, current, options_.ef_construction, l, nullptr, true);
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const Candidate& c) { return c.node == node; }),
                found.end());
    if (found.empty()) continue;
    current = found.front().node;
    kept[static_cast<size_t>(l)] = select_neighbours(std::move(found), m_);
  }
  for (int l = 0; l <= linked_top; ++l) {
    const std::vector<Candidate>& chosen = kept[static_cast<size_t>(l)];
    {
      std::lock_guard<std::mutex> guard(node_lock(node));
      uint32_t* list = links(node, l);
      for (size_t i = 0; i < chosen.size(); ++i) store_link(list + 1 + i, chosen[i].node);
      store_link(list, static_cast<uint32_t>(chosen.size()));
    }
    for (const Candidate& c : chosen) link_back(c.node, node, l);
  }
  if (level > top) {
    entry_ = node;
    max_level_ = level;
    publish_entry();
  }
}

Status HnswIndex::add(int64_t n, const float* x, const int64_t* ids) {
  if (n < 0 || (n > 0 && (x == nullptr || ids == nullptr))) {
    return invalid_argument("index add: bad arguments");
  }
  PIXLAKE_RETURN_IF_ERROR(check_finite(x, n, dim()));
  std::lock_guard<std::mutex> writer(writer_);
  std::unique_lock lock(rw_);  // exclusive until the new nodes' vectors are stored
  if (labels_.size() + size_t(n) >= kNone) return invalid_argument("index add: index is full");
  std::vector<float> rows(static_cast<size_t>(n * dim()));
  for (int64_t row = 0; row < n; ++row) {
    normalise_if_cosine(x + row * dim(), rows.data() + row * dim());
  }
  if (!vectors_.covers(rows.data(), n)) vectors_.train(rows.data(), n);

  const uint32_t first = static_cast<uint32_t>(labels_.size());
  const size_t total = first + size_t(n);
  vectors_.resize(static_cast<int64_t>(total));
  labels_.resize(total);
  removed_.resize(total, 0);
  levels_.resize(total, 0);
  links0_.resize(total * size_t(2 * m_ + 1), 0);
  upper_.resize(total);
  auto& by_label = mutable_label_map();
  int64_t* labels = labels_.mutable_data();
  uint8_t* removed = removed_.mutable_data();
  int8_t* levels = levels_.mutable_data();
  for (int64_t row = 0; row < n; ++row) {
    const uint32_t node = first + static_cast<uint32_t>(row);
    labels[node] = ids[row];
    max_label_ = std::max(max_label_, ids[row]);
    auto [it, inserted] = by_label.try_emplace(ids[row], node);
    if (!inserted) {  // an update: the old vector becomes a tombstone
      removed[it->second] = 1;
      it->second = node;
    } else {
      ++live_;
    }
    const double u = (double(splitmix64(rng_state_) >> 11) + 0.5) * 0x1.0p-53;
    const int level = std::min(static_cast<int>(-std::log(u) * level_mult_), 60);
    levels[node] = static_cast<int8_t>(level);
    upper_[node].assign(size_t(level) * (m_ + 1), 0);
  }

  const int threads = n < 1000 ? 1 : resolve_threads(options_.threads);
  parallel_for(n, threads,
               [&](int64_t row) { vectors_.set(first + row, rows.data() + row * dim()); });
  int64_t start = 0;
  if (entry_ == kNone && n > 0) {
    insert(first, levels_[first]);
    start = 1;
  }
  // Linking needs no exclusive access: searches run meanwhile and may already meet the new
  // nodes (their vectors are stored; their links fill in under the per-node locks).
  lock.unlock();
  std::shared_lock linking(rw_);
  parallel_for(n - start, threads, [&](int64_t i) {
    const uint32_t node = first + static_cast<uint32_t>(start + i);
    insert(node, levels_[node]);
  });
  return Status::ok();
}

int64_t HnswIndex::remove(int64_t n, const int64_t* ids) {
  std::lock_guard<std::mutex> writer(writer_);
  std::unique_lock lock(rw_);
  int64_t removed = 0;
  for (int64_t i = 0; i < n; ++i) {
    auto& by_label = mutable_label_map();
    auto it = by_label.find(ids[i]);
    if (it == by_label.end()) continue;
    removed_.mutable_data()[it->second] = 1;
    by_label.erase(it);
    --live_;
    ++removed;
  }
  return removed;
}

void HnswIndex::exact_over(const PreparedQuery& q, const std::vector<int64_t>& allowed, int k,
                           float* distances, int64_t* labels) const {
  std::priority_queue<Candidate, std::vector<Candidate>, Farther> best;
  for (int64_t label : allowed) {
    auto it = label_map().find(label);
    if (it == label_map().end()) continue;
    const float d = vectors_.exact_distance(q.q.data(), it->second);
    if (static_cast<int>(best.size()) < k) {
      best.push({d, it->second});
    } else if (d < best.top().distance) {
      best.pop();
      best.push({d, it->second});
    }
  }
  fill_missing(k, distances, labels);
  for (size_t i = best.size(); i-- > 0; best.pop()) {
    distances[i] = best.top().distance;
    labels[i] = labels_[best.top().node];
  }
}

void HnswIndex::search_one(const float* query, int k, const SearchParams& params, float* distances,
                           int64_t* labels) const {
  fill_missing(k, distances, labels);
  if (entry_state_.load(std::memory_order_acquire) == kNoEntry || live_ == 0) return;
  thread_local std::vector<float> normalised;
  thread_local PreparedQuery q;
  normalised.resize(static_cast<size_t>(dim()));
  normalise_if_cosine(query, normalised.data());
  vectors_.prepare(normalised.data(), &q);
  const SearchFilter* filter = params.filter;
  const double selectivity = filter != nullptr ? filter->selectivity(live_) : 1.0;
  if (filter != nullptr && filter->allowed_sorted != nullptr && selectivity >= 0 &&
      selectivity < params.exact_below) {
    exact_over(q, *filter->allowed_sorted, k, distances, labels);
    return;
  }
  int ef = std::max(params.ef, k);
  // A filter hides part of every neighbourhood: widen the beam by what it lets through (up to
  // 8x), so about as many allowed candidates are kept as without a filter.
  if (filter != nullptr) {
    const double widen = selectivity > 0 ? std::min(8.0, 1.0 / selectivity) : 4.0;
    ef = static_cast<int>(ef * widen);
  }
  const uint64_t entry_state = entry_state_.load(std::memory_order_acquire);
  const uint32_t start = greedy_descend(q, static_cast<uint32_t>(entry_state),
                                        static_cast<int>(entry_state >> 32) - 1, 0, false);
  std::vector<Candidate> found = search_layer(q, start, ef, 0, filter, false);
  if (vectors_.codec() == VectorCodec::kSq8) {  // re-rank with the refine vectors
    for (Candidate& c : found) c.distance = vectors_.exact_distance(q.q.data(), c.node);
    std::sort(found.begin(), found.end(),
              [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
  }
  const size_t n = std::min(found.size(), static_cast<size_t>(k));
  for (size_t i = 0; i < n; ++i) {
    distances[i] = found[i].distance;
    labels[i] = labels_[found[i].node];
  }
}

Status HnswIndex::search(int64_t n, const float* queries, int k, float* distances, int64_t* labels,
                         const SearchParams& params) const {
  if (k <= 0 || n < 0) return invalid_argument("index search: k must be positive");
  PIXLAKE_RETURN_IF_ERROR(check_finite(queries, n, dim()));
  std::shared_lock lock(rw_);
  for (int64_t i = 0; i < n; ++i) {
    search_one(queries + i * dim(), k, params, distances + i * k, labels + i * k);
  }
  return Status::ok();
}

Status HnswIndex::compact() {
  std::lock_guard<std::mutex> writer(writer_);
  std::vector<float> rows;
  std::vector<int64_t> ids;
  {
    std::shared_lock lock(rw_);
    rows.resize(static_cast<size_t>(live_) * size_t(dim()));
    for (const auto& [label, node] : label_map()) {
      vectors_.decode(node, rows.data() + ids.size() * dim());
      ids.push_back(label);
    }
  }
  HnswIndex fresh(dim(), metric(), m_, vectors_.codec(), options_);
  PIXLAKE_RETURN_IF_ERROR(fresh.add(static_cast<int64_t>(ids.size()), rows.data(), ids.data()));
  std::unique_lock lock(rw_);
  vectors_ = std::move(fresh.vectors_);
  labels_ = std::move(fresh.labels_);
  by_label_ = std::move(fresh.by_label_);
  by_label_ready_ = true;
  live_ = fresh.live_;
  removed_ = std::move(fresh.removed_);
  levels_ = std::move(fresh.levels_);
  links0_ = std::move(fresh.links0_);
  upper_ = std::move(fresh.upper_);
  entry_ = fresh.entry_;
  max_level_ = fresh.max_level_;  // max_label_ stays: removed labels still count
  publish_entry();
  return Status::ok();
}

}  // namespace pixlake
