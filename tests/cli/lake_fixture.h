// Shared set-up for CLI tests of lakes: a temporary folder with a few Caltech-101 photos from
// three clearly different classes, and helpers to run `pixlake` against a lake in it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_data.h"

namespace pixlake::testing {

namespace lake_fixture {

namespace fs = std::filesystem;

inline const std::vector<std::string>& classes() {
  static const std::vector<std::string> k = {"accordion", "airplanes", "Leopards"};
  return k;
}

inline std::string caltech_dir() { return data_path("datasets/caltech101/101_ObjectCategories"); }

// Copies the first `per_class` images of each class into dir/<class>/.
inline void copy_caltech_sample(const fs::path& dir, int per_class) {
  for (const auto& c : classes()) {
    fs::create_directories(dir / c);
    for (int i = 1; i <= per_class; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "image_%04d.jpg", i);
      fs::copy_file(fs::path(caltech_dir()) / c / name, dir / c / name,
                    fs::copy_options::overwrite_existing);
    }
  }
}

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `pixlake ARGS` with the shared data visible.
inline CommandResult pixlake(const std::string& args) {
  return run_command("PIXLAKE_DATA=" + quote(data_dir()) + " " + quote(pixlake_binary()) + " " +
                     args);
}

// Starts `pixlake ARGS...` in a child process with the shared data visible and its output
// discarded (for kill -9 tests); returns the child's pid.
inline pid_t spawn_pixlake(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("PIXLAKE_DATA", data_dir().c_str(), 1);
    FILE* null_out = std::freopen("/dev/null", "w", stdout);
    FILE* null_err = std::freopen("/dev/null", "w", stderr);
    (void)null_out;
    (void)null_err;
    const std::string bin = pixlake_binary();
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

inline fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("pixlake_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace lake_fixture

#define PIXLAKE_REQUIRE_LAKE_DATA()                                   \
  do {                                                                \
    PIXLAKE_REQUIRE_DATA("models/mobilenetv2-12-int8.onnx");          \
    PIXLAKE_REQUIRE_DATA("datasets/caltech101/101_ObjectCategories"); \
  } while (0)

}  // namespace pixlake::testing
