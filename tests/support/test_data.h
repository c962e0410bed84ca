// Where tests find the shared data (models, photos, ONNX conformance suite): the PIXLAKE_DATA
// environment variable, else the folder configured at build time. Tests that need it call
// PIXLAKE_REQUIRE_DATA(subdir) and are skipped with a clear message when it is absent.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace pixlake::testing {

inline std::string data_dir() {
  const char* env = std::getenv("PIXLAKE_DATA");
  if (env && *env) return env;
#ifdef PIXLAKE_DEFAULT_DATA
  return PIXLAKE_DEFAULT_DATA;
#else
  return "../shared";
#endif
}

inline std::string data_path(const std::string& rel) { return data_dir() + "/" + rel; }

inline bool has_data(const std::string& rel) { return std::filesystem::exists(data_path(rel)); }

}  // namespace pixlake::testing

#define PIXLAKE_REQUIRE_DATA(rel)                                                              \
  do {                                                                                         \
    if (!::pixlake::testing::has_data(rel)) {                                                  \
      GTEST_SKIP() << "shared data '" << ::pixlake::testing::data_path(rel)                    \
                   << "' is absent; set PIXLAKE_DATA to the folder holding models/, photos/, " \
                      "onnx-conformance/";                                                     \
    }                                                                                          \
  } while (0)
