// A lake's vector index, one per model: `indexes/<model>.pxi` in the lake, labelled with
// embedding row numbers. Rows are append-only (a re-embedded image gets a new row), so an index
// covers exactly the rows up to its max_label(); rows added since are searched exactly and the
// results merged, and dead rows are kept out by the live-row filter. A search is therefore
// never wrong because an index is stale, only slower.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lake/exact_search.h"
#include "lake/lake.h"
#include "pixlake/index.h"

namespace pixlake {

std::string lake_index_path(const std::string& dir, const std::string& model);

struct LakeIndexOptions {
  std::string factory = "HNSW32,SQ8";  // used when the index is created
  int threads = 0;                     // build threads; 0: all cores
  bool rebuild = false;                // start over instead of extending
};

struct LakeIndexReport {
  int64_t added = 0;    // rows added to the index now
  int64_t covered = 0;  // live rows the index holds afterwards
  std::string description;
  double seconds = 0;
};

// Creates or extends the model's index so that it covers every live row, and saves it
// (crash-safely). Needs the lake open for writing.
Result<LakeIndexReport> update_lake_index(Lake& lake, const std::string& model,
                                          const LakeIndexOptions& options);

// The lake's index for `model`, or nullptr when it has none. `verify` checks every checksum and
// link (pixlake check, and before extending it); search opens without, in milliseconds.
Result<std::unique_ptr<Index>> open_lake_index(const Lake& lake, const std::string& model,
                                               bool verify);

// The k best of `rows` ((row, image id), live and filtered) for `query`: through the index
// when there is one, exactly otherwise. Scores are cosine similarities, as exact_search's.
Result<std::vector<SearchHit>> search_rows(const Index* index, const EmbeddingStore& store,
                                           const std::vector<std::pair<int64_t, int64_t>>& rows,
                                           const float* query, int k, int64_t exclude_id,
                                           int ef = 128);

}  // namespace pixlake
