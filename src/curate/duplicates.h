// Near-duplicate detection without an all-pairs matrix. Candidate pairs come from
//   - the embedding k-NN graph (each image and its k nearest neighbours),
//   - images with identical bytes (same content class),
//   - perceptual-hash buckets: the 64-bit pHash cut into four 16-bit bands, images sharing a band
//     value (own, mirrored or centre hash) are candidates; any pair within 3 bits shares a band.
// Each candidate is then judged by every tier that has data, and a pair is a duplicate when at
// least one tier says so. The pair keeps the evidence (which tiers matched, with their scores), so
// a user sees why two images were grouped. Groups are the connected components (union-find).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "curate/knn_graph.h"
#include "curate/perceptual_hash.h"

namespace pixlake {

enum DupTier : uint8_t {
  kDupExact = 1,      // identical bytes
  kDupHash = 2,       // pHash within max_phash_distance (own, mirrored or centre hash)
  kDupEmbedding = 4,  // embedding cosine >= min_cosine (unless the pHashes are unrelated)
  kDupNear = 8,       // hash and embedding agree: pHash <= near_phash, cosine >= near_cosine
  kDupBovw = 16,      // Bag-of-Visual-Words cosine >= min_bovw
  kDupUser = 32,      // the user said so
};

// Which of an image's pHashes matched the other's: its own, its mirror's, or its centre's.
enum class HashMatch : uint8_t { kDirect, kMirrored, kCropped };
const char* hash_match_name(HashMatch match);

// Defaults chosen on Caltech-101 with synthetic copies (docs/curation.md): each signal alone
// must be strict, because photos of one kind of object on plain backgrounds (Caltech's
// motorbikes) share low-frequency structure and CNN features; two weaker signals that agree
// are nearly as safe and catch the brightened and cropped copies.
struct DupThresholds {
  float min_cosine = 0.97f;
  int max_phash_distance = 2;
  int near_phash_distance = 6;
  float near_cosine = 0.92f;
  // The embedding tier alone accepts a pair only when its pHashes are not those of unrelated
  // pictures (unrelated images differ in ~32 of 64 bits): a 10 % crop stays within ~22 bits,
  // two photos of similar objects usually do not. 64 turns the check off.
  int embedding_max_phash = 22;
  // Dense-SIFT Bag of Visual Words separates copies from other photos poorly (Caltech-101:
  // different photos of one class reach 0.97) and not at all for mirrored copies, so its tier is
  // strict and off unless asked for (--tiers ...,bovw).
  float min_bovw = 0.95f;
  uint8_t tiers = kDupExact | kDupHash | kDupEmbedding | kDupNear;  // which tiers may match
  int max_bucket = 16;  // hash buckets larger than this (flat, featureless images) are skipped
};

struct DupInput {
  int64_t n = 0;
  const KnnGraph* graph = nullptr;  // embedding neighbours; nullptr when there is none
  std::vector<int64_t> content;     // per node: equal values = identical bytes; -1 unknown
  std::vector<PerceptualHashes> hashes;
  std::vector<uint8_t> has_hashes;                          // per node
  std::function<float(int32_t, int32_t)> embedding_cosine;  // optional, for non-graph pairs
  std::function<float(int32_t, int32_t)> bovw_cosine;       // optional; NaN when missing
  struct Verdict {
    int32_t a = 0;
    int32_t b = 0;
    bool duplicate = false;
  };
  std::vector<Verdict> verdicts;  // the user's decisions; they override every tier
};

struct DupPair {
  int32_t a = 0;  // a < b
  int32_t b = 0;
  uint8_t tiers = 0;                          // DupTier bits that matched
  HashMatch hash_match = HashMatch::kDirect;  // which pHash pair gave phash_distance
  int phash_distance = -1;                    // -1: no hashes
  float cosine = -2.0f;                       // -2: not known
  float bovw = -2.0f;
};

struct DupResult {
  std::vector<DupPair> pairs;                // accepted pairs, sorted by (a, b)
  std::vector<std::vector<int32_t>> groups;  // components of >= 2 nodes, each sorted
  int64_t candidates = 0;                    // pairs judged
};

DupResult find_duplicates(const DupInput& input, const DupThresholds& thresholds);

}  // namespace pixlake
