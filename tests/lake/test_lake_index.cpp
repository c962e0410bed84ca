// search_rows: the lake's search through an index must agree with exact search over the same
// live, filtered rows -- including rows added after the index was built (searched exactly and
// merged), dead rows (never returned) and the excluded query image.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>

#include "embedding_test_util.h"
#include "lake/lake_index.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

class LakeIndexSearch : public ::testing::Test {
 protected:
  static constexpr int kDim = 32;
  static constexpr int64_t kRows = 3000;

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pixlake_lake_index_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto store = EmbeddingStore::create((dir_ / "e.pxe").string(), test_header(kDim));
    ASSERT_TRUE(store.is_ok()) << store.status().message();
    store_ = std::move(*store);
    // Clustered, L2-normalised rows (as embeddings are); image id = 10 * row + 7.
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    std::vector<float> centres(30 * kDim);
    for (float& c : centres) c = normal(rng);
    std::vector<float> vectors(kRows * kDim);
    std::vector<int64_t> ids(kRows);
    for (int64_t row = 0; row < kRows; ++row) {
      const size_t c = rng() % 30;
      double norm = 0;
      for (int d = 0; d < kDim; ++d) {
        float& v = vectors[row * kDim + d];
        v = centres[c * kDim + d] + 0.4f * normal(rng);
        norm += double(v) * v;
      }
      for (int d = 0; d < kDim; ++d) vectors[row * kDim + d] /= static_cast<float>(std::sqrt(norm));
      ids[row] = 10 * row + 7;
    }
    ASSERT_TRUE(store_->append(ids.data(), vectors.data(), kRows).is_ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An index over rows [0, covered) except those in `skip`.
  std::unique_ptr<Index> index_over(int64_t covered, const std::set<int64_t>& skip) {
    auto index = make_index("HNSW16,SQ8", kDim, Metric::kCosine);
    EXPECT_TRUE(index.is_ok());
    for (int64_t row = 0; row < covered; ++row) {
      if (skip.count(row)) continue;
      EXPECT_TRUE((*index)->add(1, store_->vector(row), &row).is_ok());
    }
    return std::move(*index);
  }

  fs::path dir_;
  std::unique_ptr<EmbeddingStore> store_;
};

TEST_F(LakeIndexSearch, AgreesWithExactSearchOverLiveFilteredAndNewRows) {
  // The index covers rows < 2400 with rows 5 and 6 already gone; rows >= 2400 came later.
  auto index = index_over(2400, {5, 6});
  // Live rows: every third row is dead (a removed or re-embedded image), and a filter keeps
  // about half of the rest.
  std::vector<std::pair<int64_t, int64_t>> all_live, filtered;
  for (int64_t row = 0; row < kRows; ++row) {
    if (row % 3 == 0 || row == 5 || row == 6) continue;
    all_live.push_back({row, 10 * row + 7});
    if (row % 2 == 1) filtered.push_back({row, 10 * row + 7});
  }
  const int k = 10;
  double recall_sum = 0;
  int queries = 0;
  for (const auto* rows : {&all_live, &filtered}) {
    for (int64_t q = 1; q < kRows; q += 97) {
      const int64_t exclude = 10 * q + 7;
      auto hits = search_rows(index.get(), *store_, *rows, store_->vector(q), k, exclude);
      ASSERT_TRUE(hits.is_ok()) << hits.status().message();
      const auto truth = exact_search(*store_, *rows, store_->vector(q), k, exclude);
      std::set<int64_t> allowed;
      for (const auto& r : *rows) allowed.insert(r.second);
      std::set<int64_t> truth_ids;
      for (const auto& t : truth) truth_ids.insert(t.id);
      int found = 0;
      for (size_t i = 0; i < hits->size(); ++i) {
        const SearchHit& h = (*hits)[i];
        EXPECT_TRUE(allowed.count(h.id)) << "id " << h.id << " is dead or filtered out";
        EXPECT_NE(h.id, exclude);
        if (i > 0) {
          EXPECT_GE((*hits)[i - 1].score, h.score);
        }
        found += truth_ids.count(h.id) ? 1 : 0;
      }
      recall_sum += static_cast<double>(found) / static_cast<double>(truth.size());
      ++queries;
    }
  }
  EXPECT_GE(recall_sum / queries, 0.97);
}

TEST_F(LakeIndexSearch, WithoutAnIndexItIsExactSearch) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t row = 0; row < kRows; row += 2) rows.push_back({row, 10 * row + 7});
  auto hits = search_rows(nullptr, *store_, rows, store_->vector(8), 5, -1);
  ASSERT_TRUE(hits.is_ok());
  const auto truth = exact_search(*store_, rows, store_->vector(8), 5, -1);
  ASSERT_EQ(hits->size(), truth.size());
  for (size_t i = 0; i < truth.size(); ++i) EXPECT_EQ((*hits)[i].id, truth[i].id);
  EXPECT_EQ((*hits)[0].id, 87);
}

}  // namespace
}  // namespace pixlake::testing
