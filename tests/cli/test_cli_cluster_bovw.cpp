// Clusters and Bag of Visual Words from the command line: `pixlake cluster` (tags, representatives,
// automatic k, NMI against the folder classes) and `pixlake bovw` (train, embed, search, export,
// errors).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "core/npy.h"
#include "curate/cluster_metrics.h"
#include "lake/lake.h"
#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

// A lake of `per_class` images of each of `classes`, ingested with the default CNN.
struct CaltechLake {
  CaltechLake(const std::string& name, const std::vector<std::string>& class_names, int per_class) {
    root = temp_dir(name);
    lake = root / "lake";
    for (const auto& c : class_names) {
      fs::create_directories(root / "photos" / c);
      for (int i = 1; i <= per_class; ++i) {
        char file[32];
        std::snprintf(file, sizeof file, "image_%04d.jpg", i);
        fs::copy_file(fs::path(caltech_dir()) / c / file, root / "photos" / c / file);
      }
    }
    CommandResult init = pixlake("init " + quote(lake.string()));
    EXPECT_EQ(init.exit_code, 0) << init.err;
    CommandResult add = pixlake("add " + quote(lake.string()) + " " +
                                quote((root / "photos").string()) + " --jobs 2");
    EXPECT_EQ(add.exit_code, 0) << add.err;
  }
  ~CaltechLake() { fs::remove_all(root); }
  std::string arg() const { return quote(lake.string()); }
  fs::path root;
  fs::path lake;
};

// image path -> its tags starting with "cluster:", read back from the catalog.
std::map<std::string, std::vector<std::string>> cluster_tags(const fs::path& lake) {
  std::map<std::string, std::vector<std::string>> out;
  auto opened = Lake::open(lake.string(), Lake::Access::kRead);
  EXPECT_TRUE(opened.is_ok()) << opened.status().message();
  if (!opened.is_ok()) return out;
  auto records = (*opened)->catalog().list_images();
  EXPECT_TRUE(records.is_ok());
  for (const auto& r : *records) {
    auto& tags = out[r.path];
    for (const auto& t : r.tags) {
      if (t.rfind("cluster:", 0) == 0) tags.push_back(t);
    }
  }
  return out;
}

// NMI between the folder classes and the cluster tags (every image must have exactly one).
double nmi_of_tags(const fs::path& lake) {
  std::map<std::string, int64_t> class_ids, cluster_ids;
  std::vector<int64_t> classes, clusters;
  for (const auto& [path, tags] : cluster_tags(lake)) {
    EXPECT_EQ(tags.size(), 1u) << path;
    if (tags.size() != 1) continue;
    std::string c = fs::path(path).parent_path().filename().string();
    classes.push_back(class_ids.emplace(c, class_ids.size()).first->second);
    clusters.push_back(cluster_ids.emplace(tags[0], cluster_ids.size()).first->second);
  }
  auto nmi = normalized_mutual_information(classes, clusters);
  return nmi.is_ok() ? *nmi : -1;
}

TEST(CurationCli, ClusterTagsEveryImageAndReplacesItsOldClusterTags) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CaltechLake lake("cluster_tags", classes(), 4);
  ASSERT_EQ(pixlake("tag " + lake.arg() + " --add keep,cluster:99").exit_code, 0);
  CommandResult three = pixlake("cluster " + lake.arg() + " -k 3");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_NE(three.out.find("clustered 12 images"), std::string::npos) << three.out;
  EXPECT_NE(three.out.find("cluster:2"), std::string::npos) << three.out;
  // Three visibly different classes, a CNN: the clusters are the classes.
  EXPECT_GE(nmi_of_tags(lake.lake), 0.8);

  CommandResult two = pixlake("cluster " + lake.arg() + " -k 2 --seed 7");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  std::set<std::string> used;
  for (const auto& [path, tags] : cluster_tags(lake.lake)) {
    ASSERT_EQ(tags.size(), 1u) << path << ": old cluster tags must be replaced";
    used.insert(tags[0]);
  }
  EXPECT_EQ(used, (std::set<std::string>{"cluster:0", "cluster:1"}));
  // Other tags are untouched, and --where finds a cluster like any tag.
  CommandResult keep = pixlake("search " + lake.arg() + " --path " +
                               quote((lake.root / "photos/accordion/image_0001.jpg").string()) +
                               " --where \"tag = 'keep'\" -k 20");
  EXPECT_EQ(keep.exit_code, 0) << keep.err;
  EXPECT_EQ(std::count(keep.out.begin(), keep.out.end(), '\n'), 11) << keep.out;
}

TEST(CurationCli, ClusterChoosesKAutomaticallyAndPrintsJson) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CaltechLake lake("cluster_auto", classes(), 4);
  CommandResult r = pixlake("cluster " + lake.arg() + " --json --where \"path ~ '*/image_000*'\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 12 images: candidates k = 2 and 3 (at least 4 images per cluster).
  EXPECT_NE(r.out.find("\"k_automatic\":true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"k\":2,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"k\":3,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"representative\":{\"id\":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"images\":12"), std::string::npos) << r.out;
  // Silhouette picks the three planted classes.
  EXPECT_NE(r.out.find("\"k\":3,\"k_automatic\""), std::string::npos) << r.out;
}

TEST(CurationCli, ClusterRejectsBadFlagsWithOneLine) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  fs::path dir = temp_dir("cluster_flags");
  std::string lake = quote((dir / "lake").string());
  ASSERT_EQ(pixlake("init " + lake).exit_code, 0);
  for (const std::string& args : std::vector<std::string>{
           "cluster " + lake + " -k 0", "cluster " + lake + " -k many",
           "cluster " + lake + " --bogus", "cluster", "cluster " + quote((dir / "absent").string()),
           "cluster " + lake + " --where \"size >\"", "cluster " + lake /* no embeddings */}) {
    CommandResult r = pixlake(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_EQ(r.err.rfind("pixlake: ", 0), 0u) << r.err;
  }
  fs::remove_all(dir);
}

TEST(CurationCli, BovwTrainSearchExportAndEmbedNewImages) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  PIXLAKE_REQUIRE_DATA("photos/cat_720p.jpg");
  fs::path dir = temp_dir("bovw");
  fs::create_directories(dir / "photos");
  for (const char* name : {"cat.bmp", "cat_720p.jpg", "cat_1080p.jpg", "owl.jpg", "hot_dog.jpg"}) {
    fs::copy_file(data_path(std::string("photos/") + name), dir / "photos" / name);
  }
  std::string lake = quote((dir / "lake").string());
  ASSERT_EQ(pixlake("init " + lake).exit_code, 0);
  ASSERT_EQ(pixlake("add " + lake + " " + quote((dir / "photos").string())).exit_code, 0);
  // An ingested file that no longer decodes is reported by path and skipped.
  { std::ofstream(dir / "photos" / "hot_dog.jpg", std::ios::trunc) << "not a jpeg"; }

  CommandResult train = pixlake("bovw train " + lake + " --words 40 --sample 2000");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("vocabulary: 40 words"), std::string::npos) << train.out;
  EXPECT_NE(train.out.find("embedded 4 images"), std::string::npos) << train.out;
  EXPECT_NE(train.err.find("hot_dog.jpg"), std::string::npos) << train.err;
  EXPECT_TRUE(fs::exists(dir / "lake/bovw/vocabulary.pxv"));

  // The three cats are near-duplicates: each finds the other two first.
  CommandResult search = pixlake("search " + lake + " --model bovw -k 2 --json --path " +
                                 quote((dir / "photos/cat_720p.jpg").string()));
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("cat_1080p.jpg"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("cat.bmp"), std::string::npos) << search.out;
  // A query image from outside the lake is embedded with the lake's vocabulary.
  CommandResult by_image = pixlake("search " + lake + " --model bovw -k 1 --image " +
                                   quote(data_path("photos/cat_1080p.jpg")));
  ASSERT_EQ(by_image.exit_code, 0) << by_image.err;
  EXPECT_NE(by_image.out.find("1.0000"), std::string::npos)
      << "the same file, in the lake: " << by_image.out;

  CommandResult exported =
      pixlake("export " + lake + " --model bovw -o " + quote((dir / "bovw.npy").string()));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto matrix = read_npy((dir / "bovw.npy").string());
  ASSERT_TRUE(matrix.is_ok()) << matrix.status().message();
  EXPECT_EQ(matrix->dim(0), 4);
  EXPECT_EQ(matrix->dim(1), 40);
  for (int64_t row = 0; row < 4; ++row) {
    double norm = 0;
    for (int64_t w = 0; w < 40; ++w) {
      const float v = matrix->data<float>()[row * 40 + w];
      EXPECT_GE(v, 0.0f);
      norm += static_cast<double>(v) * v;
    }
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }

  // New images get rows from the saved vocabulary; a second train is refused.
  fs::copy_file(data_path("photos/parrot.jpg"), dir / "photos" / "parrot.jpg");
  ASSERT_EQ(pixlake("add " + lake + " " + quote((dir / "photos").string())).exit_code, 0);
  CommandResult more = pixlake("bovw " + lake);
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.out.find("embedded 1 images"), std::string::npos) << more.out;
  CommandResult again = pixlake("bovw train " + lake);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("already has 'bovw' embeddings"), std::string::npos) << again.err;
  EXPECT_EQ(pixlake("check " + lake).exit_code, 0);
  fs::remove_all(dir);
}

TEST(CurationCli, BovwErrors) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  fs::path dir = temp_dir("bovw_errors");
  std::string lake = quote((dir / "lake").string());
  ASSERT_EQ(pixlake("init " + lake).exit_code, 0);
  for (const std::string& args : std::vector<std::string>{
           "bovw " + lake, "bovw train " + lake, "bovw train " + lake + " --words 1",
           "bovw train " + lake + " --words 50 --sample 10", "bovw " + lake + " --words 5",
           std::string("bovw"), "bovw train", "bovw train " + lake + " --jobs 0"}) {
    CommandResult r = pixlake(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
  }
  fs::remove_all(dir);
}

// 10 Caltech-101 classes x 20 images: the clusters of the CNN embeddings match the classes.
TEST(CurationCliSlow, ClusterNmiOnTenCaltechClasses) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  CaltechLake lake("cluster_nmi",
                   {"accordion", "airplanes", "Leopards", "Motorbikes", "Faces_easy", "ketch",
                    "watch", "sunflower", "chair", "pizza"},
                   20);
  CommandResult r = pixlake("cluster " + lake.arg() + " -k 10");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double nmi = nmi_of_tags(lake.lake);
  std::printf("NMI of 10 clusters vs 10 Caltech-101 classes (200 images): %.4f\n", nmi);
  EXPECT_GE(nmi, 0.8);
}

}  // namespace
}  // namespace pixlake::testing
