// libFuzzer target: arbitrary bytes as a map coordinates file (LAKE/maps/<model>.json).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "lake/map_coords.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/pixlake_fuzz_map_" + std::to_string(getpid()) + ".json";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto coords = pixlake::read_map_coords(path);
  (void)coords;
  return 0;
}
