#include "curate/duplicates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace pixlake {
namespace {

// n nodes with random, mutually far hashes and unrelated content.
DupInput base_input(int64_t n) {
  DupInput in;
  in.n = n;
  std::mt19937_64 rng(42);
  for (int64_t i = 0; i < n; ++i) {
    in.content.push_back(i);
    PerceptualHashes h{rng(), rng(), rng(), rng(), rng()};
    in.hashes.push_back(h);
    in.has_hashes.push_back(1);
  }
  return in;
}

KnnGraph graph_with(int64_t n, const std::vector<std::tuple<int32_t, int32_t, float>>& edges) {
  KnnGraph g;
  g.n = n;
  g.k = 2;
  g.neighbours.assign(static_cast<size_t>(n * 2), -1);
  g.scores.assign(static_cast<size_t>(n * 2), -1.0f);
  std::vector<int> used(static_cast<size_t>(n), 0);
  for (auto [a, b, score] : edges) {
    const size_t slot =
        static_cast<size_t>(a) * 2 + static_cast<size_t>(used[static_cast<size_t>(a)]++);
    g.neighbours[slot] = b;
    g.scores[slot] = score;
  }
  return g;
}

const DupPair* find_pair(const DupResult& r, int32_t a, int32_t b) {
  for (const DupPair& p : r.pairs) {
    if (p.a == a && p.b == b) return &p;
  }
  return nullptr;
}

TEST(Duplicates, EachTierFindsItsPairAndSaysWhy) {
  DupInput in = base_input(10);
  in.content[7] = in.content[2];                           // identical bytes
  in.hashes[4].phash = in.hashes[3].phash ^ 0x5;           // 2 bits apart
  in.hashes[6].phash = in.hashes[5].phash_mirror ^ 0x100;  // a flipped copy
  in.has_hashes[1] = 0;                                    // no hashes: the embedding alone decides
  KnnGraph g = graph_with(10, {{0, 1, 0.97f}, {8, 9, 0.5f}});
  in.graph = &g;
  DupResult r = find_duplicates(in, DupThresholds{});
  const DupPair* exact = find_pair(r, 2, 7);
  ASSERT_NE(exact, nullptr);
  EXPECT_TRUE(exact->tiers & kDupExact);
  const DupPair* hashed = find_pair(r, 3, 4);
  ASSERT_NE(hashed, nullptr);  // found through a hash bucket, not the graph
  EXPECT_EQ(hashed->tiers, kDupHash);
  EXPECT_EQ(hashed->phash_distance, 2);
  const DupPair* flipped = find_pair(r, 5, 6);
  ASSERT_NE(flipped, nullptr);
  EXPECT_EQ(flipped->hash_match, HashMatch::kMirrored);
  EXPECT_EQ(flipped->phash_distance, 1);
  const DupPair* close = find_pair(r, 0, 1);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(close->tiers, kDupEmbedding);
  EXPECT_FLOAT_EQ(close->cosine, 0.97f);
  EXPECT_EQ(find_pair(r, 8, 9), nullptr);  // a neighbour, but not close enough
  EXPECT_EQ(r.groups.size(), 4u);
}

TEST(Duplicates, TiersCanBeSwitchedOffAndThresholdsMove) {
  DupInput in = base_input(4);
  in.hashes[1].phash = in.hashes[0].phash ^ 0xff;     // 8 bits apart
  in.hashes[3].phash = in.hashes[2].phash ^ 0xfffff;  // 20 bits: related enough for the embedding
  KnnGraph g = graph_with(4, {{2, 3, 0.93f}});
  in.graph = &g;
  DupThresholds strict;
  strict.min_cosine = 0.95f;
  strict.max_phash_distance = 7;
  EXPECT_TRUE(find_duplicates(in, strict).pairs.empty());
  DupThresholds loose;
  loose.min_cosine = 0.92f;
  loose.max_phash_distance = 8;
  EXPECT_EQ(find_duplicates(in, loose).pairs.size(), 2u);
  loose.tiers = kDupHash;
  DupResult only_hash = find_duplicates(in, loose);
  ASSERT_EQ(only_hash.pairs.size(), 1u);
  EXPECT_EQ(only_hash.pairs[0].a, 0);
  // Hashes of unrelated pictures veto the embedding tier.
  loose.tiers = kDupEmbedding;
  loose.embedding_max_phash = 19;
  EXPECT_TRUE(find_duplicates(in, loose).pairs.empty());
}

TEST(Duplicates, NearTierNeedsBothSignalsToAgree) {
  DupInput in = base_input(6);
  in.hashes[1].phash = in.hashes[0].phash ^ 0x3f;  // 6 bits: too far for the hash tier alone
  in.hashes[3].phash = in.hashes[2].phash ^ 0x3f;
  in.hashes[5].phash = in.hashes[4].phash ^ 0xff;  // 8 bits: too far even with the embedding
  KnnGraph g = graph_with(6, {{0, 1, 0.93f}, {2, 3, 0.80f}, {4, 5, 0.95f}});
  in.graph = &g;
  DupResult r = find_duplicates(in, DupThresholds{});
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].a, 0);
  EXPECT_EQ(r.pairs[0].tiers, kDupNear);
}

TEST(Duplicates, BovwTierIsOptInAndUsesItsOwnScore) {
  DupInput in = base_input(4);
  KnnGraph g = graph_with(4, {{0, 1, 0.5f}, {2, 3, 0.5f}});
  in.graph = &g;
  in.bovw_cosine = [](int32_t a, int32_t b) {
    return (a == 0 && b == 1) ? 0.96f : (a == 2 && b == 3) ? std::nanf("") : 0.1f;
  };
  EXPECT_TRUE(find_duplicates(in, DupThresholds{}).pairs.empty());  // off by default
  DupThresholds t;
  t.tiers |= kDupBovw;
  DupResult r = find_duplicates(in, t);
  ASSERT_EQ(r.pairs.size(), 1u);  // the pair without histograms (NaN) is not judged by bovw
  EXPECT_EQ(r.pairs[0].tiers, kDupBovw);
  EXPECT_FLOAT_EQ(r.pairs[0].bovw, 0.96f);
}

TEST(Duplicates, ChainsBecomeOneGroupAndVerdictsWin) {
  DupInput in = base_input(6);
  std::fill(in.has_hashes.begin(), in.has_hashes.end(), 0);
  KnnGraph g = graph_with(6, {{0, 1, 0.99f}, {1, 2, 0.99f}, {3, 4, 0.99f}});
  in.graph = &g;
  in.verdicts.push_back({4, 3, false});  // the user said: not duplicates
  in.verdicts.push_back({5, 0, true});   // and these are, whatever the tiers think
  DupResult r = find_duplicates(in, DupThresholds{});
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0], (std::vector<int32_t>{0, 1, 2, 5}));
  const DupPair* user = find_pair(r, 0, 5);
  ASSERT_NE(user, nullptr);
  EXPECT_TRUE(user->tiers & kDupUser);
}

TEST(Duplicates, FlatImagesDoNotFloodTheHashBuckets) {
  DupInput in = base_input(100);
  for (auto& h : in.hashes) h.phash = h.phash_mirror = 0;  // every image the same flat hash
  DupThresholds t;
  t.tiers = kDupHash;
  DupResult r = find_duplicates(in, t);
  EXPECT_EQ(r.candidates, 0);  // one bucket of 100 > max_bucket: skipped, not 4950 pairs
}

TEST(Duplicates, EmptyInputIsFine) {
  DupInput in;
  EXPECT_TRUE(find_duplicates(in, DupThresholds{}).groups.empty());
}

}  // namespace
}  // namespace pixlake
