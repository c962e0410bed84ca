#include "machine.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

namespace pixlake::bench {

namespace {

// First line of a shell command's output, "" when it fails.
std::string command_output(const char* command) {
  FILE* pipe = popen(command, "r");
  if (pipe == nullptr) return "";
  char line[256] = {};
  bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  int rc = pclose(pipe);
  if (!got || rc != 0) return "";
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

MachineInfo machine_info() {
  MachineInfo info;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(cpuinfo, line)) {
    auto value = [&] { return line.substr(line.find(':') + 2); };
    if (info.cpu_model.empty() && line.rfind("model name", 0) == 0) info.cpu_model = value();
    if (flags.empty() && line.rfind("flags", 0) == 0) flags = " " + value() + " ";
  }
  for (const char* flag : {"avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16"}) {
    if (flags.find(std::string(" ") + flag + " ") == std::string::npos) continue;
    info.isa += (info.isa.empty() ? "" : " ") + std::string(flag);
  }
  info.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  info.git_commit = command_output("git rev-parse --short HEAD 2>/dev/null");
  if (info.git_commit.empty()) {
    info.git_commit = "unknown";
  } else if (!command_output("git status --porcelain --untracked-files=no 2>/dev/null").empty()) {
    info.git_commit += "+dirty";
  }
  info.load_average = load_average();
  return info;
}

double load_average() {
  std::ifstream file("/proc/loadavg");
  double load = -1;
  return file >> load ? load : -1;
}

int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return -1;
  return resident_pages * sysconf(_SC_PAGESIZE);
}

int64_t resident_bytes_after_trim() {
  malloc_trim(0);
  return resident_bytes();
}

}  // namespace pixlake::bench
