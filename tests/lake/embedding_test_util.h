// Helpers for the embedding store tests: a fresh folder per test, a header, and rows whose
// values follow from their index so that any row can be checked bit for bit after a reopen.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "lake/embedding_store.h"

namespace pixlake::testing {

inline EmbeddingStoreHeader test_header(int32_t dim) {
  EmbeddingStoreHeader h;
  h.model = "mobilenetv2";
  h.layer = "627";
  for (size_t i = 0; i < h.model_sha256.size(); ++i)
    h.model_sha256[i] = static_cast<uint8_t>(i * 7);
  h.dim = dim;
  h.created_unix = 1700000000;
  return h;
}

// Row `row`'s id and vector: distinct, not all round numbers, including negative values.
inline int64_t test_id(int64_t row) { return 1000 + row * 3; }
inline float test_value(int64_t row, int32_t col) {
  return static_cast<float>((row * 131 + col * 17) % 1000) / 7.0f - 50.0f;
}

struct TestRows {
  std::vector<int64_t> ids;
  std::vector<float> vectors;
};

inline TestRows test_rows(int64_t first, int64_t n, int32_t dim) {
  TestRows r;
  for (int64_t row = first; row < first + n; ++row) {
    r.ids.push_back(test_id(row));
    for (int32_t col = 0; col < dim; ++col) r.vectors.push_back(test_value(row, col));
  }
  return r;
}

// Fails (returns the first mismatch) unless rows [0, n) hold exactly test_rows(0, n).
inline ::testing::AssertionResult holds_test_rows(const EmbeddingStore& store, int64_t n) {
  if (store.rows() != n)
    return ::testing::AssertionFailure() << "rows() is " << store.rows() << ", expected " << n;
  for (int64_t row = 0; row < n; ++row) {
    if (store.id(row) != test_id(row))
      return ::testing::AssertionFailure() << "row " << row << " id " << store.id(row);
    const float* v = store.vector(row);
    for (int32_t col = 0; col < store.dim(); ++col) {
      float expected = test_value(row, col);
      if (std::memcmp(&v[col], &expected, sizeof expected) != 0)
        return ::testing::AssertionFailure() << "row " << row << " col " << col << " is " << v[col];
    }
  }
  return ::testing::AssertionSuccess();
}

// A fresh, empty folder under the system temp folder, removed at the end of the test.
class EmbeddingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("pixlake_emb_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name = "model.pxe") const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

}  // namespace pixlake::testing
