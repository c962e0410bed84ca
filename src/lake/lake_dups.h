// `pixlake dups`: exact and near-duplicate groups of a lake, with the evidence for each match
// and a suggested keeper per group. Built on the embedding k-NN graph, content hashes and
// perceptual hashes (curate/duplicates.h); scales without an all-pairs matrix.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "curate/duplicates.h"
#include "image/image.h"
#include "lake/lake.h"

namespace pixlake {

struct LakeDupOptions {
  std::string model;  // embedding model; empty: the lake's default
  DupThresholds thresholds;
  int k = 10;  // neighbours per image in the k-NN graph
  int threads = 0;
  DecodeLimits limits;  // for images whose perceptual hashes must be computed now
  std::function<void(int64_t done, int64_t total)> on_hash_progress;
};

struct LakeDupImage {
  int64_t id = 0;
  std::string path;
  int width = 0;
  int height = 0;
  int64_t size_bytes = 0;
  std::optional<int64_t> taken;
  int64_t mtime = 0;
};

struct LakeDupPair {
  int64_t a = 0;  // image ids
  int64_t b = 0;
  DupPair evidence;
};

struct LakeDupGroup {
  std::vector<LakeDupImage> images;  // the suggested keeper first, then by id
  std::vector<LakeDupPair> pairs;    // the matches that joined the group
};

struct LakeDupReport {
  int64_t images = 0;
  int64_t candidates = 0;
  int64_t hashed_now = 0;   // images whose perceptual hashes were computed by this run
  int64_t hash_failed = 0;  // images that could not be decoded for hashing (skipped)
  bool used_index = false;
  bool used_bovw = false;
  std::vector<LakeDupGroup> groups;
  double seconds = 0;
};

// Computes missing perceptual hashes (a lake ingested before they existed) and stores them.
Status backfill_hashes(Lake& lake, const LakeDupOptions& options, LakeDupReport& report);

// Needs the lake open for writing (hash backfill; the index may be extended).
Result<LakeDupReport> find_lake_duplicates(Lake& lake, const LakeDupOptions& options);

// The image a user should keep: largest resolution, then oldest (taken, else mtime), then id.
bool keep_before(const LakeDupImage& a, const LakeDupImage& b);

// Names of the tiers set in `tiers`, e.g. "exact", "hash", "embedding", "bovw", "user".
std::vector<std::string> dup_tier_names(uint8_t tiers);
// Parses "exact,hash,embedding,bovw"; error names the unknown tier.
Result<uint8_t> parse_dup_tiers(const std::string& list);

}  // namespace pixlake
