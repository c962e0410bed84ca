// The benchmark's results: recall/QPS curves per side, QPS read off the curves at target
// recalls, the table on stdout and the JSON file that plot.py reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "machine.h"
#include "pixlake/status.h"

namespace pixlake::bench {

struct CurvePoint {
  int ef = 0;
  double recall = 0;
  std::vector<double> qps;  // one per entry of RunInfo::search_threads
};

struct SideResult {
  std::string name;
  std::string params;
  std::string error;  // non-empty when the side failed; its numbers are then meaningless
  double build_seconds = 0;
  int64_t memory_bytes = 0;     // the side's own figure (pixlake) or our estimate (peers)
  int64_t rss_delta_bytes = 0;  // resident memory after build minus before
  std::vector<CurvePoint> curve;
};

struct RunInfo {
  std::string dataset;
  std::string distance;
  int64_t n_base = 0;
  int64_t n_queries = 0;
  int dim = 0;
  int k = 10;
  int build_threads = 2;
  std::vector<int> search_threads;
  MachineInfo machine;
  double load_average_after = -1;
  double ground_truth_seconds = 0;
};

// QPS at `recall` on the side's Pareto frontier (the best QPS reached at that recall or
// higher), interpolated linearly in recall between neighbouring points; NaN when no point
// reaches it. `thread_index` picks the QPS column.
double qps_at_recall(const std::vector<CurvePoint>& curve, size_t thread_index, double recall);

inline constexpr double kTargetRecalls[] = {0.95, 0.99};

void print_header(const RunInfo& run);
void print_curve_row(const SideResult& side, const CurvePoint& point);
// Build, memory, QPS at the target recalls, ratios pixlake/peer and the acceptance checks.
void print_summary(const RunInfo& run, const std::vector<SideResult>& sides);
Status write_json(const std::string& path, const RunInfo& run,
                  const std::vector<SideResult>& sides);

}  // namespace pixlake::bench
