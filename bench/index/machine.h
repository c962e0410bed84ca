// What a benchmark report says about where it ran: CPU, ISA, commit, load, and the process's
// resident memory (for the memory column, measured the same way for every side).
#pragma once

#include <cstdint>
#include <string>

namespace pixlake::bench {

struct MachineInfo {
  std::string cpu_model;  // /proc/cpuinfo "model name"
  std::string isa;        // the flags of interest present, e.g. "avx2 avx512f avx512_vnni"
  int logical_cpus = 0;
  std::string git_commit;    // short hash, "+dirty" with uncommitted changes; "unknown" outside git
  double load_average = -1;  // 1-minute load when the run started
};

MachineInfo machine_info();
// One-minute load average now, -1 when /proc/loadavg cannot be read.
double load_average();
// Resident set size of this process, from /proc/self/statm.
int64_t resident_bytes();
// Returns freed heap memory to the system first, so that an RSS delta counts new pages and
// not pages a previous side freed and the allocator kept.
int64_t resident_bytes_after_trim();

}  // namespace pixlake::bench
