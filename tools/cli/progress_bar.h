// A one-line progress bar on stderr with rate and ETA, redrawn at most a few times a second.
// Off when stderr is not a terminal (logs and CI stay clean) unless forced.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pixlake::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  // done / total items, failed so far, seconds since start.
  void update(int64_t done, int64_t total, int64_t failed, double seconds);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

// Whether stderr is an interactive terminal.
bool stderr_is_terminal();

// "1m05s", "42s", "2h03m"
std::string format_duration(double seconds);

}  // namespace pixlake::cli
