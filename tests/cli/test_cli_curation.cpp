// Curation from the command line: duplicate groups (evidence, keeper, tag, move, verdicts) and
// auto-tags from the classifier.
#include <gtest/gtest.h>

#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The shared cat photo at three sizes, a byte-identical copy of a Caltech photo, and unrelated
// photos.
struct DupLake {
  DupLake() {
    root = temp_dir("cli_dups");
    photos = root / "photos";
    lake = root / "lake";
    fs::create_directories(photos);
    for (const char* name : {"cat.bmp", "cat_720p.jpg", "cat_1080p.jpg", "parrot.jpg", "owl.jpg"}) {
      fs::copy_file(data_path(std::string("photos/") + name), photos / name);
    }
    copy_caltech_sample(photos, 1);
    fs::copy_file(photos / "accordion" / "image_0001.jpg", photos / "accordion_copy.jpg");
    EXPECT_EQ(pixlake("init " + quote(lake.string())).exit_code, 0);
    CommandResult add = pixlake("add " + quote(lake.string()) + " " + quote(photos.string()));
    EXPECT_EQ(add.exit_code, 0) << add.err;
  }
  ~DupLake() { fs::remove_all(root); }
  std::string arg() const { return quote(lake.string()); }
  CommandResult pixlake_json() const { return pixlake("dups " + arg() + " --json"); }
  fs::path root, photos, lake;
};

TEST(CurationCli, DupsGroupsCopiesWithEvidenceAndAKeeper) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  PIXLAKE_REQUIRE_DATA("photos/cat.bmp");
  DupLake d;
  CommandResult r = d.pixlake_json();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "\"keeper\""), 2) << r.out;
  // The cat group keeps the 1920x1080 file.
  const size_t cat_group = r.out.find("cat_1080p.jpg");
  ASSERT_NE(cat_group, std::string::npos);
  EXPECT_NE(r.out.find("\"width\":1920"), std::string::npos);
  EXPECT_NE(r.out.find("\"tiers\":[\"exact\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"phash_distance\""), std::string::npos);
  EXPECT_EQ(r.out.find("parrot.jpg"), std::string::npos);
  EXPECT_EQ(r.out.find("owl.jpg"), std::string::npos);
  EXPECT_EQ(r.out.find("airplanes"), std::string::npos);

  CommandResult text = pixlake("dups " + d.arg());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("keep"), std::string::npos);
  EXPECT_NE(text.out.find("2 groups, 3 images could go"), std::string::npos) << text.out;
}

TEST(CurationCli, DupsTagsTheExtrasAndRemembersVerdicts) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  PIXLAKE_REQUIRE_DATA("photos/cat.bmp");
  DupLake d;
  ASSERT_EQ(pixlake("dups " + d.arg() + " --tag duplicate").exit_code, 0);
  CommandResult tagged =
      pixlake("export " + d.arg() + " --format csv --where \"tag = 'duplicate'\" -o " +
              quote((d.root / "dups.csv").string()));
  ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
  EXPECT_NE(tagged.out.find("exported 3 "), std::string::npos) << tagged.out;

  // Find the ids of the byte-identical pair and say they are not duplicates.
  CommandResult r = d.pixlake_json();
  const size_t exact = r.out.find("\"tiers\":[\"exact\"");
  ASSERT_NE(exact, std::string::npos);
  const size_t a_at = r.out.rfind("\"a\":", exact);
  const long long a = std::stoll(r.out.substr(a_at + 4));
  const long long b = std::stoll(r.out.substr(r.out.find("\"b\":", a_at) + 4));
  CommandResult verdict =
      pixlake("dups " + d.arg() + " --not-dup " + std::to_string(a) + "," + std::to_string(b));
  ASSERT_EQ(verdict.exit_code, 0) << verdict.err;
  CommandResult after = d.pixlake_json();
  EXPECT_EQ(count_of(after.out, "\"keeper\""), 1) << after.out;
  EXPECT_EQ(after.out.find("\"exact\""), std::string::npos);
}

TEST(CurationCli, DupsMoveKeepsTheLakeConsistent) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  PIXLAKE_REQUIRE_DATA("photos/cat.bmp");
  DupLake d;
  const fs::path moved = d.root / "moved";
  CommandResult move = pixlake("dups " + d.arg() + " --move " + quote(moved.string()));
  ASSERT_EQ(move.exit_code, 0) << move.err;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(moved)) files += entry.is_regular_file();
  EXPECT_EQ(files, 3);
  EXPECT_TRUE(fs::exists(d.photos / "cat_1080p.jpg"));  // the keeper stays
  EXPECT_FALSE(fs::exists(d.photos / "cat_720p.jpg"));
  CommandResult check = pixlake("check " + d.arg());
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  CommandResult found = pixlake("search " + d.arg() + " --path " +
                                quote((d.photos / "cat_1080p.jpg").string()) + " -k 2 --json");
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find(moved.string()), std::string::npos) << found.out;
}

TEST(CurationCli, DupsRefusesBadFlags) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  DupLake d;
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--threshold 2", "--threshold"},
           {"--threshold x", "--threshold"},
           {"--hash-distance 0", "--hash-distance"},
           {"--tiers hash,colour", "unknown tier 'colour'"},
           {"--not-dup 1", "ID1,ID2"},
           {"--not-dup 1,99999", "no image with id 99999"},
           {"--tag x --move y", "not both"},
       }) {
    CommandResult r = pixlake("dups " + d.arg() + " " + c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
}

TEST(CurationCli, AutoTagStoresTopClassesAsLabels) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  PIXLAKE_REQUIRE_DATA("photos/parrot.jpg");
  const fs::path root = temp_dir("cli_autotag");
  fs::create_directories(root / "photos");
  for (const char* name : {"parrot.jpg", "cat.bmp", "hot_dog.jpg"}) {
    fs::copy_file(data_path(std::string("photos/") + name), root / "photos" / name);
  }
  const std::string lake = quote((root / "lake").string());
  ASSERT_EQ(pixlake("init " + lake).exit_code, 0);
  CommandResult add =
      pixlake("add " + lake + " " + quote((root / "photos").string()) + " --auto-tag --tag-top 2");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  CommandResult macaw =
      pixlake("search " + lake + " --path " + quote((root / "photos" / "cat.bmp").string()) +
              " --where \"label = 'macaw'\" --json");
  ASSERT_EQ(macaw.exit_code, 0) << macaw.err;
  EXPECT_NE(macaw.out.find("parrot.jpg"), std::string::npos) << macaw.out;
  EXPECT_EQ(macaw.out.find("hot_dog.jpg"), std::string::npos) << macaw.out;
  CommandResult bad = pixlake("add " + lake + " --tag-top 2");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--auto-tag"), std::string::npos) << bad.err;
  fs::remove_all(root);
}

}  // namespace
}  // namespace pixlake::testing
