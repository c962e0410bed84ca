#include "progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace pixlake::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  auto s = static_cast<int64_t>(seconds + 0.5);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof(text), "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(text, sizeof(text), "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    std::snprintf(text, sizeof(text), "%llds", static_cast<long long>(s));
  }
  return text;
}

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t done, int64_t total, int64_t failed, double seconds) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar += std::string(static_cast<size_t>(kWidth - filled), '.');
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  double eta = rate > 0 ? static_cast<double>(total - done) / rate : NAN;
  std::fprintf(stderr, "\r%s [%s] %lld/%lld %5.1f img/s  ETA %s%s\033[K", label_.c_str(),
               bar.c_str(), static_cast<long long>(done), static_cast<long long>(total), rate,
               format_duration(eta).c_str(),
               failed > 0 ? ("  failed " + std::to_string(failed)).c_str() : "");
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    std::fputc('\n', stderr);
    drawn_ = false;
  }
}

}  // namespace pixlake::cli
