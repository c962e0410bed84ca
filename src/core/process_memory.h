// The process's peak resident memory, as the benchmarks and `pixlake bench` report it.
#pragma once

namespace pixlake {

// VmHWM of this process in MiB. Not getrusage's ru_maxrss, the fallback where /proc is missing:
// Linux carries ru_maxrss across execve, so a child of a big parent (a Python driver) reports
// the parent's size at fork time; VmHWM belongs to the new address space.
double peak_rss_mb();

}  // namespace pixlake
