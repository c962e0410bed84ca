// The coordinates of a lake map as JSON, for the web page and for tests: written by `pixlake
// map` to --coords and to LAKE/maps/<model>.json. One point per line:
//
//   {"format":"pixlake-map","version":1,"model":"mobilenetv2","method":"umap","count":2,
//    "groups":["accordion","airplanes"],"points":[      <- all on the first line
//   {"id":1,"x":0.412345,"y":0.118000,"group":0},
//   {"id":2,"x":0.900000,"y":0.731000,"group":-1}
//   ]}
//
// x and y are in [0, 1] (one scale for both axes, so distances keep their proportions; y grows
// downwards, as in the picture); group indexes "groups" (-1: none).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

constexpr int kMapCoordsVersion = 1;

struct MapCoordinate {
  int64_t id = 0;
  float x = 0, y = 0;
  int group = -1;
};

struct MapCoords {
  std::string model;
  std::string method;
  std::vector<std::string> groups;
  std::vector<MapCoordinate> points;
};

// Writes atomically (PATH.tmp.<pid>, then rename). IoError naming `path` when it cannot.
Status write_map_coords(const MapCoords& coords, const std::string& path);

// Reads a file written by write_map_coords. DataLoss naming the file and line when it is not
// one; Unsupported for another format version.
Result<MapCoords> read_map_coords(const std::string& path);

}  // namespace pixlake
