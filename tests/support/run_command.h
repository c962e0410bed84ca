// Runs a shell command for CLI tests and captures exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace pixlake::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by a signal (a crash)
  std::string out;
  std::string err;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline CommandResult run_command(const std::string& command) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path();
  std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
  std::string out_path = (dir / ("pixlake_cmd_out_" + tag)).string();
  std::string err_path = (dir / ("pixlake_cmd_err_" + tag)).string();
  int status = std::system((command + " >'" + out_path + "' 2>'" + err_path + "'").c_str());
  CommandResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.exit_code = 128 + WTERMSIG(status);
  }
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

inline std::string pixlake_binary() { return std::string(PIXLAKE_BINARY_DIR) + "/pixlake"; }

}  // namespace pixlake::testing
