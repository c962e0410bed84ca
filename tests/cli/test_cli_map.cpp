// `pixlake map` from the command line: the picture, the coordinates (in --coords and in the
// lake), the errors; and (slow) the map of a Caltech-101 subset keeps neighbourhoods.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "curate/trustworthiness.h"
#include "image/image.h"
#include "lake/lake.h"
#include "lake/map_coords.h"
#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

// A lake of `per_class` photos from each of `classes`, ingested once per test process.
struct MapLake {
  MapLake(const std::string& name, const std::vector<std::string>& classes, int per_class) {
    root = temp_dir(name);
    photos = root / "photos";
    lake = root / "lake";
    for (const auto& c : classes) {
      fs::create_directories(photos / c);
      for (int i = 1; i <= per_class; ++i) {
        char file[32];
        std::snprintf(file, sizeof file, "image_%04d.jpg", i);
        fs::copy_file(fs::path(caltech_dir()) / c / file, photos / c / file);
      }
    }
    EXPECT_EQ(pixlake("init " + quote(lake.string())).exit_code, 0);
    CommandResult add =
        pixlake("add " + quote(lake.string()) + " " + quote(photos.string()) + " --jobs 2");
    EXPECT_EQ(add.exit_code, 0) << add.err;
  }
  ~MapLake() { fs::remove_all(root); }
  std::string arg() const { return quote(lake.string()); }
  fs::path root, photos, lake;
};

// Pixels that differ from the background colour of the top-left corner.
int64_t painted_pixels(const Image& image) {
  const uint8_t* corner = image.pixel(0, 0);
  int64_t painted = 0;
  for (int row = 0; row < image.height; ++row)
    for (int col = 0; col < image.width; ++col)
      painted += !std::equal(corner, corner + 3, image.pixel(row, col));
  return painted;
}

TEST(MapCli, DrawsAPictureAndWritesCoordinates) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  MapLake lake("cli_map", classes(), 4);
  const fs::path png = lake.root / "map.png", json = lake.root / "map.json";
  CommandResult map = pixlake("map " + lake.arg() + " -o " + quote(png.string()) + " --coords " +
                              quote(json.string()) + " --size 512");
  ASSERT_EQ(map.exit_code, 0) << map.err;
  EXPECT_NE(map.out.find("map of 12 images"), std::string::npos) << map.out;
  EXPECT_NE(map.out.find("trustworthiness"), std::string::npos) << map.out;

  auto image = decode_image_file(png.string());
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->width, 512);
  EXPECT_EQ(image->height, 512);
  EXPECT_GT(painted_pixels(*image), 512 * 5);  // dots and legend, not a blank page

  auto coords = read_map_coords(json.string());
  ASSERT_TRUE(coords.is_ok()) << coords.status().message();
  EXPECT_EQ(coords->method, "umap");
  ASSERT_EQ(coords->points.size(), 12u);
  EXPECT_EQ(std::set<std::string>(coords->groups.begin(), coords->groups.end()),
            std::set<std::string>(classes().begin(), classes().end()));
  std::set<int64_t> ids;
  for (const auto& p : coords->points) {
    ids.insert(p.id);
    EXPECT_GE(p.x, 0.0f);
    EXPECT_LE(p.x, 1.0f);
    EXPECT_GE(p.y, 0.0f);
    EXPECT_LE(p.y, 1.0f);
    EXPECT_GE(p.group, 0);
  }
  EXPECT_EQ(ids.size(), 12u);
  // The lake keeps its own copy for the web page; the default model is mobilenetv2.
  auto stored = read_map_coords((lake.lake / "maps" / (coords->model + ".json")).string());
  ASSERT_TRUE(stored.is_ok()) << stored.status().message();
  EXPECT_EQ(stored->points.size(), 12u);

  // PCA, thumbnails, colours by a tag prefix: every flag path runs.
  ASSERT_EQ(
      pixlake("tag " + lake.arg() + " --where \"path ~ '*accordion*'\" --add kind:music").exit_code,
      0);
  const fs::path thumbs = lake.root / "thumbs.png";
  CommandResult pca = pixlake("map " + lake.arg() + " -o " + quote(thumbs.string()) +
                              " --method pca --thumbs --color-by kind: --size 300 --sample 10");
  ASSERT_EQ(pca.exit_code, 0) << pca.err;
  EXPECT_NE(pca.out.find("map of 10 images (of 12)"), std::string::npos) << pca.out;
  auto thumbs_image = decode_image_file(thumbs.string());
  ASSERT_TRUE(thumbs_image.is_ok());
  EXPECT_EQ(thumbs_image->width, 300);
  auto by_tag = read_map_coords((lake.lake / "maps" / (coords->model + ".json")).string());
  ASSERT_TRUE(by_tag.is_ok());
  EXPECT_EQ(by_tag->groups, std::vector<std::string>{"music"});
}

TEST(MapCli, ErrorsAreOneLineAndNameTheProblem) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  const fs::path root = temp_dir("cli_map_errors");
  const std::string lake = quote((root / "lake").string());
  ASSERT_EQ(pixlake("init " + lake).exit_code, 0);
  const std::string out = quote((root / "map.png").string());

  CommandResult empty = pixlake("map " + lake + " -o " + out);
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_NE(empty.err.find("has no embeddings"), std::string::npos) << empty.err;

  CommandResult method = pixlake("map " + lake + " -o " + out + " --method tsne");
  EXPECT_NE(method.exit_code, 0);
  EXPECT_NE(method.err.find("--method must be umap or pca"), std::string::npos) << method.err;

  CommandResult flag = pixlake("map " + lake + " -o " + out + " --colour-by x");
  EXPECT_NE(flag.exit_code, 0);
  EXPECT_NE(flag.err.find("--colour-by"), std::string::npos) << flag.err;

  CommandResult size = pixlake("map " + lake + " -o " + out + " --size 12");
  EXPECT_NE(size.exit_code, 0);
  EXPECT_NE(size.err.find("--size"), std::string::npos) << size.err;

  CommandResult model = pixlake("map " + lake + " -o " + out + " --model squeezenet");
  EXPECT_NE(model.exit_code, 0);
  EXPECT_NE(model.err.find("squeezenet"), std::string::npos) << model.err;

  const std::string nowhere = (root / "no_such_folder" / "map.png").string();
  CommandResult unwritable = pixlake("map " + lake + " -o " + quote(nowhere));
  EXPECT_NE(unwritable.exit_code, 0);
  EXPECT_NE(unwritable.err.find(nowhere), std::string::npos) << unwritable.err;

  for (const auto* r : {&empty, &method, &flag, &size, &model, &unwritable}) {
    EXPECT_EQ(std::count(r->err.begin(), r->err.end(), '\n'), 1) << r->err;
  }
  fs::remove_all(root);
}

TEST(SlowMapCli, CaltechSubsetKeepsNeighbourhoodsAndGroupsClasses) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  const std::vector<std::string> ten = {"accordion",  "airplanes", "Leopards", "Motorbikes",
                                        "Faces_easy", "sunflower", "pagoda",   "dollar_bill",
                                        "starfish",   "revolver"};
  MapLake lake("cli_map_slow", ten, 20);
  const fs::path png = lake.root / "map.png";
  CommandResult map = pixlake("map " + lake.arg() + " -o " + quote(png.string()) + " --size 1024");
  ASSERT_EQ(map.exit_code, 0) << map.err;

  auto opened = Lake::open(lake.lake.string(), Lake::Access::kRead);
  ASSERT_TRUE(opened.is_ok());
  auto model = (*opened)->resolve_model_name("");
  ASSERT_TRUE(model.is_ok());
  auto coords = read_map_coords((lake.lake / "maps" / (*model + ".json")).string());
  ASSERT_TRUE(coords.is_ok()) << coords.status().message();
  ASSERT_EQ(coords->points.size(), 200u);
  auto store = (*opened)->store(*model);
  ASSERT_TRUE(store.is_ok());
  auto rows = (*opened)->catalog().embedding_rows(*model);
  ASSERT_TRUE(rows.is_ok());
  std::map<int64_t, int64_t> row_of;
  for (const auto& [row, id] : *rows) row_of[id] = row;

  // The stored coordinates against the stored embeddings, all points (exact).
  const int dim = (*store)->dim();
  const int64_t n = static_cast<int64_t>(coords->points.size());
  std::vector<float> high(n * dim), layout(n * 2);
  for (int64_t i = 0; i < n; ++i) {
    const auto& p = coords->points[i];
    std::copy_n((*store)->vector(row_of.at(p.id)), dim, high.data() + i * dim);
    layout[i * 2] = p.x;
    layout[i * 2 + 1] = p.y;
  }
  auto trust = trustworthiness(high.data(), n, dim, dim, layout.data(), {.k = 10});
  ASSERT_TRUE(trust.is_ok());
  std::printf("trustworthiness(k=10) of the stored map: %.4f\n", *trust);
  EXPECT_GE(*trust, 0.9);

  // Same-class pairs lie closer on the map than pairs in general.
  double same = 0, all = 0;
  int64_t n_same = 0, n_all = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      const double d =
          std::hypot(layout[i * 2] - layout[j * 2], layout[i * 2 + 1] - layout[j * 2 + 1]);
      all += d;
      ++n_all;
      if (coords->points[i].group == coords->points[j].group) {
        same += d;
        ++n_same;
      }
    }
  }
  std::printf("mean map distance: same class %.4f, any pair %.4f\n", same / n_same, all / n_all);
  EXPECT_LT(same / n_same, 0.5 * all / n_all);
}

}  // namespace
}  // namespace pixlake::testing
