// The lake from the command line: init, add (incremental), search with filters, tag, info,
// export, check, rm, sync, moved and changed files.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/npy.h"
#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

constexpr int kPerClass = 4;

// One lake ingested once and only read by the tests below.
// (CTest runs each test in its own process, so "once" means once per test that uses it.)
struct SharedLake {
  SharedLake() {
    root = temp_dir("cli_lake");
    photos = root / "photos";
    lake = root / "lake";
    copy_caltech_sample(photos, kPerClass);
    CommandResult init = pixlake("init " + quote(lake.string()));
    EXPECT_EQ(init.exit_code, 0) << init.err;
    first_add = pixlake("add " + quote(lake.string()) + " " + quote(photos.string()) +
                        " --jobs 2 --batch 5");
  }
  ~SharedLake() { fs::remove_all(root); }
  fs::path root;
  fs::path photos;
  fs::path lake;
  CommandResult first_add;
};

const SharedLake& shared_lake() {
  static SharedLake s;
  return s;
}

std::string lake_arg() { return quote(shared_lake().lake.string()); }

// Paths from `search --json` output, in order.
std::vector<std::string> json_paths(const std::string& json) {
  std::vector<std::string> paths;
  for (size_t at = json.find("\"path\":\""); at != std::string::npos;
       at = json.find("\"path\":\"", at + 1)) {
    size_t start = at + 8;
    paths.push_back(json.substr(start, json.find('"', start) - start));
  }
  return paths;
}

std::string class_of(const std::string& path) {
  return fs::path(path).parent_path().filename().string();
}

TEST(LakeCli, AddIngestsEveryImage) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  const auto& s = shared_lake();
  ASSERT_EQ(s.first_add.exit_code, 0) << s.first_add.err;
  EXPECT_NE(s.first_add.out.find("added 12,"), std::string::npos) << s.first_add.out;
  EXPECT_NE(s.first_add.out.find("embedded 12 "), std::string::npos) << s.first_add.out;
  CommandResult check = pixlake("check " + lake_arg());
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(LakeCli, SecondAddSkipsUnchangedFiles) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CommandResult again = pixlake("add " + lake_arg() + " " + quote(shared_lake().photos.string()));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("added 0,"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("unchanged 12,"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("embedded 0 "), std::string::npos) << again.out;
}

TEST(LakeCli, SearchByPathFindsTheSameClass) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  for (const auto& c : classes()) {
    std::string query = (shared_lake().photos / c / "image_0001.jpg").string();
    CommandResult r = pixlake("search " + lake_arg() + " --path " + quote(query) + " -k 3 --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto paths = json_paths(r.out);
    ASSERT_EQ(paths.size(), 3u) << r.out;
    for (const auto& p : paths) {
      EXPECT_NE(p, query) << "the query image itself is excluded";
      EXPECT_EQ(class_of(p), c) << r.out;
    }
  }
}

TEST(LakeCli, SearchByImageFileRanksItsOwnCopyFirst) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  std::string query = (shared_lake().photos / "Leopards" / "image_0002.jpg").string();
  CommandResult r = pixlake("search " + lake_arg() + " --image " + quote(query) + " -k 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths[0], query);
  EXPECT_NE(r.out.find("\"score\":1.0000"), std::string::npos) << r.out;
}

TEST(LakeCli, WhereRestrictsResults) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  std::string query = (shared_lake().photos / "Leopards" / "image_0001.jpg").string();
  CommandResult r = pixlake("search " + lake_arg() + " --path " + quote(query) +
                            " -k 20 --json --where \"path ~ '*/accordion/*'\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  EXPECT_EQ(paths.size(), static_cast<size_t>(kPerClass));
  for (const auto& p : paths) EXPECT_EQ(class_of(p), "accordion");
}

TEST(LakeCli, MalformedWhereNamesThePosition) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CommandResult r = pixlake("search " + lake_arg() + " --id 1 --where 'width >= AND'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("column"), std::string::npos) << r.err;
}

TEST(LakeCli, UnknownIdAndMissingLakeAreClearErrors) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CommandResult r = pixlake("search " + lake_arg() + " --id 999999");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("999999"), std::string::npos) << r.err;
  CommandResult none = pixlake("info /nonexistent/lake");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("/nonexistent/lake"), std::string::npos) << none.err;
}

TEST(LakeCli, ExportWritesOneRowPerImage) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  std::string out = (shared_lake().root / "export.npy").string();
  CommandResult r = pixlake("export " + lake_arg() + " --format npy -o " + quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto matrix = read_npy(out);
  ASSERT_TRUE(matrix.is_ok()) << matrix.status().message();
  EXPECT_EQ(matrix->shape(), (Shape{12, 1280}));
  std::ifstream paths(out + ".paths.txt");
  std::set<std::string> seen;
  for (std::string line; std::getline(paths, line);) seen.insert(line);
  EXPECT_EQ(seen.size(), 12u);
  std::string csv = (shared_lake().root / "export.csv").string();
  CommandResult c = pixlake("export " + lake_arg() +
                            " --format csv --where \"path ~ '*Leopards*'\" -o " + quote(csv));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  std::ifstream in(csv);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 1 + kPerClass);
}

// Tests below change a lake of their own.
class LakeCliChanges : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_data("models/mobilenetv2-12-int8.onnx") ||
        !has_data("datasets/caltech101/101_ObjectCategories")) {
      GTEST_SKIP() << "shared data is absent; set PIXLAKE_DATA";
    }
    root_ = temp_dir(std::string("cli_lake_") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    photos_ = root_ / "photos";
    lake_ = root_ / "lake";
    copy_caltech_sample(photos_, 2);
    ASSERT_EQ(pixlake("init " + quote(lake_.string())).exit_code, 0);
    CommandResult add = pixlake("add " + lake() + " " + quote(photos_.string()));
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string lake() const { return quote(lake_.string()); }

  fs::path root_, photos_, lake_;
};

TEST_F(LakeCliChanges, TagAddRemoveAndInfo) {
  CommandResult t = pixlake("tag " + lake() + " --where \"path ~ '*airplanes*'\" --add plane,sky");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("tagged 2 images"), std::string::npos) << t.out;
  CommandResult r = pixlake("search " + lake() + " --path " +
                            quote((photos_ / "accordion" / "image_0001.jpg").string()) +
                            " --where \"tag = 'sky'\" --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_paths(r.out).size(), 2u);
  ASSERT_EQ(pixlake("tag " + lake() + " --where \"tag = 'plane'\" --remove sky").exit_code, 0);
  CommandResult info = pixlake("info " + lake());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("images      6"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("plane 2"), std::string::npos) << info.out;
  EXPECT_EQ(info.out.find("sky"), std::string::npos) << info.out;
}

TEST_F(LakeCliChanges, MetadataIsSetFilteredAndRemoved) {
  CommandResult set =
      pixlake("meta " + lake() + " --where \"path ~ '*Leopards*'\" --set 'album=Zoo 2024'");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("of 2 images"), std::string::npos) << set.out;
  std::string query = quote((photos_ / "accordion" / "image_0001.jpg").string());
  CommandResult r = pixlake("search " + lake() + " --path " + query +
                            " --where \"meta.album = 'Zoo 2024'\" --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  ASSERT_EQ(paths.size(), 2u) << r.out;
  for (const auto& p : paths) EXPECT_EQ(class_of(p), "Leopards");
  ASSERT_EQ(pixlake("meta " + lake() + " --unset album").exit_code, 0);
  CommandResult none = pixlake("search " + lake() + " --path " + query +
                               " --where \"meta.album IS NOT NULL\" --json");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(json_paths(none.out).empty()) << none.out;
  CommandResult bad = pixlake("meta " + lake() + " --set 'bad key=1'");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("bad key"), std::string::npos) << bad.err;
}

TEST_F(LakeCliChanges, MovedFileKeepsItsIdAndTags) {
  fs::path from = photos_ / "Leopards" / "image_0001.jpg";
  ASSERT_EQ(
      pixlake("tag " + lake() + " --where \"path = '" + from.string() + "'\" --add star").exit_code,
      0);
  fs::create_directories(photos_ / "moved");
  fs::rename(from, photos_ / "moved" / "renamed.jpg");
  CommandResult add = pixlake("add " + lake() + " " + quote(photos_.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("moved 1,"), std::string::npos) << add.out;
  EXPECT_NE(add.out.find("embedded 0 "), std::string::npos) << add.out;
  CommandResult r = pixlake("search " + lake() + " --path " +
                            quote((photos_ / "accordion" / "image_0001.jpg").string()) +
                            " --where \"tag = 'star'\" --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  ASSERT_EQ(paths.size(), 1u) << r.out;
  EXPECT_EQ(paths[0], (photos_ / "moved" / "renamed.jpg").string());
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);
}

TEST_F(LakeCliChanges, IndexedLakeAnswersLikeExactSearchAndFollowsChanges) {
  std::vector<std::string> queries;
  for (const auto& c : classes()) {
    for (const char* name : {"image_0001.jpg", "image_0002.jpg"}) {
      queries.push_back(quote((photos_ / c / name).string()));
    }
  }
  auto answers = [&] {
    std::vector<std::vector<std::string>> all;
    for (const auto& q : queries) {
      CommandResult r = pixlake("search " + lake() + " --path " + q + " -k 5 --json");
      EXPECT_EQ(r.exit_code, 0) << r.err;
      all.push_back(json_paths(r.out));
    }
    return all;
  };
  const auto exact = answers();
  CommandResult built = pixlake("index " + lake());
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(built.out.find("HNSW32,SQ8"), std::string::npos) << built.out;
  EXPECT_NE(built.out.find("added 6 rows"), std::string::npos) << built.out;
  EXPECT_EQ(answers(), exact);

  // A re-embedded image: add updates the index, and search uses the new vector only.
  fs::path target = photos_ / "accordion" / "image_0001.jpg";
  fs::copy_file(photos_ / "Leopards" / "image_0002.jpg", target,
                fs::copy_options::overwrite_existing);
  CommandResult add = pixlake("add " + lake() + " " + quote(photos_.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("index HNSW32,SQ8: added 1 rows"), std::string::npos) << add.out;
  CommandResult r =
      pixlake("search " + lake() + " --path " + quote(target.string()) + " -k 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(json_paths(r.out).size(), 1u);
  EXPECT_EQ(json_paths(r.out)[0], (photos_ / "Leopards" / "image_0002.jpg").string());

  // Removed images never come back from the index.
  ASSERT_EQ(pixlake("rm " + lake() + " --where \"path ~ '*airplanes*'\"").exit_code, 0);
  CommandResult after = pixlake("search " + lake() + " --path " + queries[0] + " -k 10 --json");
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(json_paths(after.out).size(), 3u) << after.out;
  for (const auto& p : json_paths(after.out)) EXPECT_NE(class_of(p), "airplanes") << p;
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);

  // A damaged index is reported (search and check name it) and rebuilt on request.
  const fs::path index_file = lake_ / "indexes" / "mobilenetv2-bf16.pxi";
  ASSERT_TRUE(fs::exists(index_file));
  {
    std::fstream f(index_file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x7f');
  }
  CommandResult broken = pixlake("search " + lake() + " --path " + queries[0] + " --json");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("--rebuild"), std::string::npos) << broken.err;
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 1);
  CommandResult rebuilt = pixlake("index " + lake() + " --rebuild");
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(rebuilt.out.find("4 vectors"), std::string::npos) << rebuilt.out;
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);
}

TEST_F(LakeCliChanges, ChangedFileIsReembedded) {
  fs::path target = photos_ / "accordion" / "image_0001.jpg";
  fs::copy_file(photos_ / "Leopards" / "image_0002.jpg", target,
                fs::copy_options::overwrite_existing);
  CommandResult add = pixlake("add " + lake() + " " + quote(photos_.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("updated 1,"), std::string::npos) << add.out;
  EXPECT_NE(add.out.find("embedded 1 "), std::string::npos) << add.out;
  // Its nearest neighbour is now the leopard whose bytes it holds.
  CommandResult r =
      pixlake("search " + lake() + " --path " + quote(target.string()) + " -k 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0], (photos_ / "Leopards" / "image_0002.jpg").string());
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);
}

TEST_F(LakeCliChanges, SyncRemovesDeletedFilesAndRmRemovesByFilter) {
  fs::remove(photos_ / "airplanes" / "image_0001.jpg");
  CommandResult sync = pixlake("sync " + lake());
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("missing 1, removed 1"), std::string::npos) << sync.out;
  CommandResult rm = pixlake("rm " + lake() + " --where \"path ~ '*Leopards*'\"");
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_NE(rm.out.find("removed 2 images"), std::string::npos) << rm.out;
  EXPECT_TRUE(fs::exists(photos_ / "Leopards" / "image_0001.jpg")) << "rm never deletes files";
  CommandResult info = pixlake("info " + lake());
  EXPECT_NE(info.out.find("images      3"), std::string::npos) << info.out;
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);
  EXPECT_EQ(pixlake("rm " + lake()).exit_code, 1) << "rm without --where or --all is refused";
}

TEST_F(LakeCliChanges, SecondModelEmbedsTheSameImages) {
  if (!has_data("models/squeezenet1.0-fp16.onnx")) GTEST_SKIP() << "squeezenet absent";
  CommandResult add = pixlake("add " + lake() + " --model squeezenet");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("embedded 6 "), std::string::npos) << add.out;
  CommandResult r =
      pixlake("search " + lake() + " --model squeezenet --path " +
              quote((photos_ / "Leopards" / "image_0001.jpg").string()) + " -k 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto paths = json_paths(r.out);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(class_of(paths[0]), "Leopards");
  CommandResult info = pixlake("info " + lake());
  EXPECT_NE(info.out.find("squeezenet: 6 embeddings, 512-d"), std::string::npos) << info.out;
  EXPECT_EQ(pixlake("check " + lake()).exit_code, 0);
}

TEST_F(LakeCliChanges, SecondWriterIsRefusedWhileOneHoldsTheLock) {
  // `sync` holds the write lock only briefly, so hold it from a shell with flock(1).
  std::string lock = (lake_ / "write.lock").string();
  CommandResult r = run_command("flock " + quote(lock) + " env PIXLAKE_DATA=" + quote(data_dir()) +
                                " " + quote(pixlake_binary()) + " sync " + lake());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("another pixlake process"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pixlake::testing
