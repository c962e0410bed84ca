// The folder walk behind `pixlake add`: image extensions, sorted unique output, symbolic link
// loops, dangling links, odd names.
#include "lake/scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pixlake {
namespace {

namespace fs = std::filesystem;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pixlake_scan_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void touch(const std::string& rel) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << "x";
  }
  std::vector<std::string> names(const ScanResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.files) out.push_back(fs::relative(f.path, dir_).string());
    return out;
  }
  fs::path dir_;
};

TEST(ImageExtension, KnownExtensionsAnyCase) {
  EXPECT_TRUE(has_image_extension("a.jpg"));
  EXPECT_TRUE(has_image_extension("/x/y/A.JPEG"));
  EXPECT_TRUE(has_image_extension("b.HeIc"));
  EXPECT_TRUE(has_image_extension("c.webp"));
  EXPECT_FALSE(has_image_extension("notes.txt"));
  EXPECT_FALSE(has_image_extension("jpg"));
  EXPECT_FALSE(has_image_extension("/dir.jpg/file"));
}

TEST_F(ScanTest, FindsImagesRecursivelySortedAndCountsOthers) {
  touch("b/2.png");
  touch("a/1.jpg");
  touch("a/deeper/3.JPG");
  touch("a/readme.txt");
  touch("odd name, with 'quotes' & ünïcode.jpg");
  auto r = scan_paths({dir_.string()});
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(names(*r), (std::vector<std::string>{"a/1.jpg", "a/deeper/3.JPG", "b/2.png",
                                                 "odd name, with 'quotes' & ünïcode.jpg"}));
  EXPECT_EQ(r->skipped_not_image, 1);
  EXPECT_TRUE(r->problems.empty());
}

TEST_F(ScanTest, FileNamedDirectlyIsKeptWhateverItsExtension) {
  touch("notes.txt");
  auto r = scan_paths({(dir_ / "notes.txt").string()});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->files.size(), 1u);
}

TEST_F(ScanTest, SymlinkLoopIsWalkedOnceAndReported) {
  touch("a/1.jpg");
  fs::create_directory_symlink(dir_ / "a", dir_ / "a" / "loop");
  auto r = scan_paths({dir_.string()});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(names(*r), (std::vector<std::string>{"a/1.jpg"}));
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].error.find("loop"), std::string::npos) << r->problems[0].error;
}

TEST_F(ScanTest, DanglingLinkIsReported) {
  touch("1.jpg");
  fs::create_symlink(dir_ / "gone.jpg", dir_ / "link.jpg");
  auto r = scan_paths({dir_.string()});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->files.size(), 1u);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].error.find("dangling"), std::string::npos);
}

TEST_F(ScanTest, OverlappingRootsGiveEachFileOnce) {
  touch("a/1.jpg");
  auto r = scan_paths({(dir_ / "a" / "1.jpg").string(), dir_.string()});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->files.size(), 1u);
}

TEST_F(ScanTest, MissingRootIsAnErrorNamingIt) {
  auto r = scan_paths({(dir_ / "nope").string()});
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("nope"), std::string::npos);
}

TEST_F(ScanTest, RelativePathsBecomeAbsolute) {
  EXPECT_EQ(absolute_path("/a/b/../c/"), "/a/c");
  EXPECT_EQ(absolute_path("/"), "/");
  EXPECT_EQ(absolute_path("x").front(), '/');
}

}  // namespace
}  // namespace pixlake
