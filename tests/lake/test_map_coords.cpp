#include "lake/map_coords.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pixlake {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("pixlake_" + name + "_" + std::to_string(::getpid()));
}

TEST(MapCoords, RoundTripsWithAwkwardGroupNames) {
  MapCoords coords;
  coords.model = "mobilenetv2-bf16";
  coords.method = "umap";
  coords.groups = {"R&D \"lab\"", "tab\there", "café", "back\\slash"};
  coords.points = {{1, 0.0f, 1.0f, 0}, {7, 0.25f, 0.5f, 3}, {9, 1.0f, 0.0f, -1}};
  const fs::path path = temp_file("map_coords.json");
  ASSERT_TRUE(write_map_coords(coords, path.string()).is_ok());
  auto back = read_map_coords(path.string());
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(back->model, coords.model);
  EXPECT_EQ(back->method, coords.method);
  EXPECT_EQ(back->groups, coords.groups);
  ASSERT_EQ(back->points.size(), 3u);
  EXPECT_EQ(back->points[1].id, 7);
  EXPECT_FLOAT_EQ(back->points[1].x, 0.25f);
  EXPECT_EQ(back->points[1].group, 3);
  EXPECT_EQ(back->points[2].group, -1);

  // A file cut short is refused, naming it.
  std::string text;
  {
    std::ifstream in(path);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(path) << text.substr(0, text.size() - 4);
  auto cut = read_map_coords(path.string());
  ASSERT_FALSE(cut.is_ok());
  EXPECT_NE(cut.status().message().find(path.string()), std::string::npos);
  fs::remove(path);
}

TEST(MapCoords, UnwritablePathIsAnErrorNamingIt) {
  const std::string path = "/nonexistent_folder_for_pixlake/map.json";
  Status status = write_map_coords({}, path);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find(path), std::string::npos);
}

// Found by fuzz_map_coords: a \u escape without four hex digits threw from std::stoul.
TEST(MapCoords, BadEscapesAreAnErrorNotACrash) {
  const fs::path path = temp_file("map_coords_bad.json");
  for (const char* model : {"\\uzzzz", "\\u+1 2", "\\u12"}) {
    {
      std::ofstream out(path);
      out << "{\"format\":\"pixlake-map\",\"version\":1,\"model\":\"" << model
          << "\",\"method\":\"umap\",\"count\":0,\"groups\":[],\"points\":[\n]}\n";
    }
    auto coords = read_map_coords(path.string());
    EXPECT_FALSE(coords.is_ok()) << model;
  }
  fs::remove(path);
}

}  // namespace
}  // namespace pixlake
