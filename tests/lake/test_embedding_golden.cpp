// Files written by earlier releases must keep loading, with exact values.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "embedding_test_util.h"
#include "golden_embeddings.h"

namespace pixlake {
namespace {

using testing::EmbeddingStoreTest;

const std::string kGoldenV1 =
    std::string(PIXLAKE_SOURCE_DIR) + "/tests/lake/data/embeddings_v1.pxe";

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(EmbeddingGolden, Version1FileLoadsWithExactValues) {
  // Read-only: the committed file must never be modified by the test.
  auto store = EmbeddingStore::open_read_only(kGoldenV1);
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  const auto& h = (*store)->header();
  const auto expected = testing::golden_header();
  EXPECT_EQ(h.model, expected.model);
  EXPECT_EQ(h.layer, expected.layer);
  EXPECT_EQ(h.model_sha256, expected.model_sha256);
  EXPECT_EQ(h.dim, testing::kGoldenDim);
  EXPECT_EQ(h.dtype, EmbeddingDType::kF32);
  EXPECT_EQ(h.created_unix, expected.created_unix);
  EXPECT_EQ(h.generation, 0u);
  ASSERT_EQ((*store)->rows(), testing::kGoldenRows);
  for (int64_t row = 0; row < testing::kGoldenRows; ++row) {
    EXPECT_EQ((*store)->id(row), testing::kGoldenIds[row]) << row;
    EXPECT_EQ(
        std::memcmp((*store)->vector(row), &testing::kGoldenVectors[row * testing::kGoldenDim],
                    testing::kGoldenDim * sizeof(float)),
        0)
        << "row " << row;
  }
  EXPECT_TRUE((*store)->verify().is_ok());
}

// While the writer is at version 1 it must produce exactly the committed bytes: a layout change
// without a version bump fails here. (After a bump, point this at the newest golden file.)
TEST_F(EmbeddingStoreTest, WriterStillProducesTheVersion1Bytes) {
  ASSERT_EQ(kEmbeddingFormatVersion, 1u);
  ASSERT_TRUE(testing::write_golden_embeddings(path()).is_ok());
  const std::string golden = read_bytes(kGoldenV1);
  EXPECT_EQ(golden.size(), 512u + 3u * 64u);
  EXPECT_TRUE(read_bytes(path()) == golden) << "the writer's bytes differ from " << kGoldenV1;
}

}  // namespace
}  // namespace pixlake
