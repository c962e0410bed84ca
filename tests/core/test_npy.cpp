#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/npy.h"

namespace pixlake {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("pixlake_test_" + name)).string();
}

TEST(Npy, RoundTripsFloatMatrix) {
  Tensor t = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, -6.5f});
  std::string path = temp_path("a.npy");
  ASSERT_TRUE(write_npy(path, t).is_ok());
  auto back = read_npy(path);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(back->shape(), t.shape());
  EXPECT_EQ(back->to_floats(), t.to_floats());
  // The header is padded so the data starts on a 64-byte boundary.
  EXPECT_EQ((std::filesystem::file_size(path) - 6 * 4) % 64, 0u);
  std::filesystem::remove(path);
}

TEST(Npy, RoundTripsVectorAndInt64) {
  Tensor t = Tensor::from_vector<int64_t>({3}, {7, -1, 1LL << 40});
  std::string path = temp_path("b.npy");
  ASSERT_TRUE(write_npy(path, t).is_ok());
  auto back = read_npy(path);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->shape(), Shape{3});
  EXPECT_EQ(back->to_ints(), t.to_ints());
  std::filesystem::remove(path);
}

TEST(Npy, RefusesTruncatedAndGarbage) {
  std::string path = temp_path("c.npy");
  ASSERT_TRUE(write_npy(path, Tensor(DType::kF32, {100})).is_ok());
  std::filesystem::resize_file(path, 100);
  EXPECT_EQ(read_npy(path).status().code(), StatusCode::kDataLoss);
  std::ofstream(path) << "not numpy at all";
  EXPECT_EQ(read_npy(path).status().code(), StatusCode::kDataLoss);
  std::filesystem::remove(path);
}

TEST(Npy, WriteToMissingFolderFails) {
  EXPECT_EQ(write_npy("/nonexistent/dir/x.npy", Tensor(DType::kF32, {1})).code(),
            StatusCode::kIoError);
}

}  // namespace
}  // namespace pixlake
