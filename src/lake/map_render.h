// Drawing a map of a lake as a picture: one coloured dot per image (colour = its group, e.g.
// its folder or its `cluster:` tag), a legend of the largest groups, a title, and optionally
// small thumbnails of the images on a grid so the picture shows what each region holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"
#include "pixlake/status.h"

namespace pixlake {

struct MapDot {
  float x = 0, y = 0;  // in [0, 1]; y grows downwards, as in the picture
  int group = -1;      // index into MapPicture::groups, -1: none
  std::string path;    // the image file, for thumbnails
};

struct MapGroupInfo {
  std::string name;
  int64_t count = 0;
};

struct MapPicture {
  std::vector<MapDot> dots;
  std::vector<MapGroupInfo> groups;  // largest first: the first ones get the clearest colours
  std::string title;
  int size = 2048;      // the picture is size x size pixels
  bool thumbs = false;  // draw thumbnails over the dots
  int max_thumbs = 1500;
  int threads = 0;  // for decoding thumbnails; 0: all cores
};

// The picture. Thumbnails that fail to decode are skipped (their dot stays). InvalidArgument
// for a size outside [256, 16384].
Result<Image> render_map(const MapPicture& picture);

// The colour of group `index` (-1: the grey of ungrouped points).
void map_group_colour(int index, uint8_t rgb[3]);

}  // namespace pixlake
