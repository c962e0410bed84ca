#include "curate/duplicates.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "curate/union_find.h"

namespace pixlake {
namespace {

uint64_t pair_key(int32_t a, int32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

void add_graph_candidates(const KnnGraph& graph, std::vector<uint64_t>& out) {
  for (int64_t node = 0; node < graph.n; ++node) {
    for (int slot = 0; slot < graph.k; ++slot) {
      const int32_t other = graph.neighbours_of(node)[slot];
      if (other >= 0) out.push_back(pair_key(static_cast<int32_t>(node), other));
    }
  }
}

void add_content_candidates(const DupInput& in, std::vector<uint64_t>& out) {
  // Chain the members of each content class: union-find joins them all, and each link is a pair
  // with evidence "identical bytes".
  std::vector<std::pair<int64_t, int32_t>> by_content;
  for (int64_t node = 0; node < in.n; ++node) {
    if (in.content[static_cast<size_t>(node)] >= 0) {
      by_content.emplace_back(in.content[static_cast<size_t>(node)], static_cast<int32_t>(node));
    }
  }
  std::sort(by_content.begin(), by_content.end());
  for (size_t i = 1; i < by_content.size(); ++i) {
    if (by_content[i].first == by_content[i - 1].first) {
      out.push_back(pair_key(by_content[i - 1].second, by_content[i].second));
    }
  }
}

void add_hash_candidates(const DupInput& in, int max_bucket, std::vector<uint64_t>& out) {
  // Entry: (band number << 16 | band value, node). Mirror hashes go into the same buckets, so an
  // image meets the flipped copies of others.
  std::vector<std::pair<uint32_t, int32_t>> entries;
  for (int64_t node = 0; node < in.n; ++node) {
    if (!in.has_hashes[static_cast<size_t>(node)]) continue;
    const PerceptualHashes& h = in.hashes[static_cast<size_t>(node)];
    for (uint32_t band = 0; band < 4; ++band) {
      uint32_t values[3];
      int count = 0;
      for (uint64_t hash : {h.phash, h.phash_mirror, h.phash_centre}) {
        const auto value = static_cast<uint32_t>((hash >> (16 * band)) & 0xffff);
        if (std::find(values, values + count, value) == values + count) values[count++] = value;
      }
      for (int i = 0; i < count; ++i) {
        entries.emplace_back(band << 16 | values[i], static_cast<int32_t>(node));
      }
    }
  }
  std::sort(entries.begin(), entries.end());
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
    if (end - begin <= static_cast<size_t>(max_bucket)) {
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          if (entries[i].second != entries[j].second) {
            out.push_back(pair_key(entries[i].second, entries[j].second));
          }
        }
      }
    }
    begin = end;
  }
}

// Embedding similarity of a pair found in the graph (either direction), else from the callback.
float graph_cosine(const DupInput& in, int32_t a, int32_t b) {
  if (in.graph != nullptr) {
    for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      const int32_t* nb = in.graph->neighbours_of(from);
      for (int slot = 0; slot < in.graph->k; ++slot) {
        if (nb[slot] == to) return in.graph->scores_of(from)[slot];
      }
    }
  }
  return in.embedding_cosine ? in.embedding_cosine(a, b) : -2.0f;
}

DupPair judge(const DupInput& in, const DupThresholds& t, int32_t a, int32_t b) {
  DupPair pair;
  pair.a = a;
  pair.b = b;
  const auto ua = static_cast<size_t>(a);
  const auto ub = static_cast<size_t>(b);
  if (in.content[ua] >= 0 && in.content[ua] == in.content[ub]) pair.tiers |= kDupExact;
  if (in.has_hashes[ua] && in.has_hashes[ub]) {
    const PerceptualHashes& ha = in.hashes[ua];
    const PerceptualHashes& hb = in.hashes[ub];
    const int direct = hamming_distance(ha.phash, hb.phash);
    const int mirror = std::min(hamming_distance(ha.phash_mirror, hb.phash),
                                hamming_distance(ha.phash, hb.phash_mirror));
    const int cropped = std::min(hamming_distance(ha.phash_centre, hb.phash),
                                 hamming_distance(ha.phash, hb.phash_centre));
    pair.phash_distance = direct;
    if (mirror < pair.phash_distance) {
      pair.phash_distance = mirror;
      pair.hash_match = HashMatch::kMirrored;
    }
    if (cropped < pair.phash_distance) {
      pair.phash_distance = cropped;
      pair.hash_match = HashMatch::kCropped;
    }
    if (pair.phash_distance <= t.max_phash_distance) pair.tiers |= kDupHash;
  }
  pair.cosine = graph_cosine(in, a, b);
  if (pair.cosine >= t.min_cosine &&
      (pair.phash_distance < 0 || pair.phash_distance <= t.embedding_max_phash)) {
    pair.tiers |= kDupEmbedding;
  }
  if (in.bovw_cosine) {
    const float bovw = in.bovw_cosine(a, b);
    if (!std::isnan(bovw)) {
      pair.bovw = bovw;
      if (bovw >= t.min_bovw) pair.tiers |= kDupBovw;
    }
  }
  pair.tiers &= t.tiers;
  return pair;
}

}  // namespace

const char* hash_match_name(HashMatch match) {
  switch (match) {
    case HashMatch::kDirect: return "direct";
    case HashMatch::kMirrored: return "mirrored";
    case HashMatch::kCropped: return "cropped";
  }
  return "direct";
}

DupResult find_duplicates(const DupInput& in, const DupThresholds& t) {
  DupResult result;
  std::vector<uint64_t> keys;
  if (in.graph != nullptr && (t.tiers & (kDupEmbedding | kDupHash | kDupBovw))) {
    add_graph_candidates(*in.graph, keys);
  }
  if (t.tiers & kDupExact) add_content_candidates(in, keys);
  if (t.tiers & kDupHash) add_hash_candidates(in, t.max_bucket, keys);
  std::map<uint64_t, bool> verdicts;
  for (const DupInput::Verdict& v : in.verdicts) {
    verdicts[pair_key(v.a, v.b)] = v.duplicate;
    if (v.duplicate) keys.push_back(pair_key(v.a, v.b));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  result.candidates = static_cast<int64_t>(keys.size());

  UnionFind sets(in.n);
  for (uint64_t key : keys) {
    const auto a = static_cast<int32_t>(key >> 32);
    const auto b = static_cast<int32_t>(key & 0xffffffffu);
    DupPair pair = judge(in, t, a, b);
    auto verdict = verdicts.find(key);
    if (verdict != verdicts.end()) pair.tiers = verdict->second ? (pair.tiers | kDupUser) : 0;
    if (pair.tiers == 0) continue;
    sets.unite(a, b);
    result.pairs.push_back(pair);
  }
  std::map<int64_t, std::vector<int32_t>> components;
  for (const DupPair& pair : result.pairs) {
    for (int32_t node : {pair.a, pair.b}) components[sets.find(node)].push_back(node);
  }
  for (auto& [root, members] : components) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    result.groups.push_back(std::move(members));
  }
  std::sort(result.groups.begin(), result.groups.end(),
            [](const auto& x, const auto& y) { return x.front() < y.front(); });
  return result;
}

}  // namespace pixlake
