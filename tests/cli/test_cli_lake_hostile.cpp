// Hostile and broken files in an ingested folder: each is reported (stderr and the catalog's
// failure list), skipped, and the lake stays intact and searchable.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

uint32_t crc32(const uint8_t* data, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_u32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
}

// A PNG whose header declares 100000 x 100000 RGBA pixels (40 GB) with a valid CRC, followed
// by a tiny data chunk: only a decoder that checks limits before allocating survives it.
std::string huge_png() {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr = "IHDR";
  put_u32(ihdr, 100000);
  put_u32(ihdr, 100000);
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);
  put_u32(png, 13);
  png += ihdr;
  put_u32(png, crc32(reinterpret_cast<const uint8_t*>(ihdr.data()), ihdr.size()));
  std::string idat = "IDAT";
  idat += std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  put_u32(png, 8);
  png += idat;
  put_u32(png, crc32(reinterpret_cast<const uint8_t*>(idat.data()), idat.size()));
  std::string iend = "IEND";
  put_u32(png, 0);
  png += iend;
  put_u32(png, crc32(reinterpret_cast<const uint8_t*>(iend.data()), iend.size()));
  return png;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class LakeHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_data("models/mobilenetv2-12-int8.onnx") ||
        !has_data("datasets/caltech101/101_ObjectCategories")) {
      GTEST_SKIP() << "shared data is absent; set PIXLAKE_DATA";
    }
    root_ = temp_dir(std::string("lake_hostile_") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    photos_ = root_ / "photos";
    lake_ = root_ / "lake";
    copy_caltech_sample(photos_, 1);
    ASSERT_EQ(pixlake("init " + quote(lake_.string())).exit_code, 0);
  }
  void TearDown() override {
    if (!root_.empty()) {
      std::error_code ec;
      fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ec);
      fs::remove_all(root_, ec);
    }
  }
  void write(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
  fs::path root_, photos_, lake_;
};

TEST_F(LakeHostile, BrokenFilesAreReportedSkippedAndTheLakeStaysIntact) {
  fs::path bad = photos_ / "bad";
  std::string jpeg = read_file(photos_ / "Leopards" / "image_0001.jpg");
  write(bad / "truncated.jpg", jpeg.substr(0, jpeg.size() / 3));
  write(bad / "huge.png", huge_png());
  write(bad / "empty.jpg", "");
  write(bad / "text.jpg", "this is not an image at all\n");
  write(bad / "notes.txt", "not an image, and not named like one\n");
  fs::create_directory_symlink(photos_, bad / "loop");
  // A good image under a name with spaces, quotes, a comma, non-ASCII and a newline.
  fs::path odd = photos_ / "odd dir" / "l\xC3\xA9opard 'x', \"y\"\n.jpg";
  write(odd, jpeg);

  CommandResult add = pixlake("add " + quote(lake_.string()) + " " + quote(photos_.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("added 4,"), std::string::npos) << add.out;  // 3 classes + odd name
  EXPECT_NE(add.out.find("not images 1"), std::string::npos) << add.out;
  for (const char* name : {"truncated.jpg", "huge.png", "empty.jpg", "text.jpg", "loop"}) {
    EXPECT_NE(add.err.find(name), std::string::npos) << name << " not reported in: " << add.err;
  }
  EXPECT_NE(add.err.find("100000"), std::string::npos) << "the huge size is named: " << add.err;

  CommandResult info = pixlake("info " + quote(lake_.string()) + " --failures");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("images      4"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("failures    5"), std::string::npos) << info.out;
  EXPECT_EQ(pixlake("check " + quote(lake_.string())).exit_code, 0);

  CommandResult search = pixlake("search " + quote(lake_.string()) + " --path " +
                                 quote(odd.string()) + " -k 1 --json");
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("Leopards"), std::string::npos)
      << "the odd-named copy finds its twin: " << search.out;

  // A repaired file is picked up by the next add and leaves the failure list.
  write(bad / "truncated.jpg", jpeg);
  CommandResult again = pixlake("add " + quote(lake_.string()) + " " + quote(photos_.string()));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("added 1,"), std::string::npos) << again.out;
  CommandResult info2 = pixlake("info " + quote(lake_.string()));
  EXPECT_NE(info2.out.find("failures    4"), std::string::npos) << info2.out;
}

TEST_F(LakeHostile, UnreadableFileIsReported) {
  fs::path secret = photos_ / "secret.jpg";
  fs::copy_file(photos_ / "Leopards" / "image_0001.jpg", secret);
  ::chmod(secret.c_str(), 0);
  std::string prefix;
  if (::geteuid() == 0) {
    // Root reads anything: run the ingest as 'nobody' when that user can reach the binary,
    // the model and the folders.
    std::error_code ec;
    fs::permissions(root_, fs::perms::all, fs::perm_options::replace, ec);
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (entry.path() == secret) continue;
      fs::permissions(entry.path(), fs::perms::all, fs::perm_options::replace, ec);
    }
    prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    CommandResult probe = run_command(prefix + "sh -c " +
                                      quote("test -x " + quote(pixlake_binary()) + " && test -r " +
                                            quote(data_path("models/mobilenetv2-12-int8.onnx"))));
    if (probe.exit_code != 0) {
      GTEST_SKIP() << "running as root and user 'nobody' cannot reach the pixlake binary or "
                      "the models, so an unreadable file cannot be simulated here";
    }
  }
  CommandResult add =
      run_command(prefix + "env PIXLAKE_DATA=" + quote(data_dir()) + " " + quote(pixlake_binary()) +
                  " add " + quote(lake_.string()) + " " + quote(photos_.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.err.find("secret.jpg"), std::string::npos) << add.err;
  EXPECT_NE(add.err.find("ermission"), std::string::npos) << add.err;
  EXPECT_NE(add.out.find("added 3,"), std::string::npos) << add.out;
  EXPECT_EQ(pixlake("check " + quote(lake_.string())).exit_code, 0);
}

}  // namespace
}  // namespace pixlake::testing
