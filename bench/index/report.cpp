#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "core/json_text.h"

namespace pixlake::bench {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// "0.95" -> "095": the suffix of the qps_at_* fields.
std::string recall_key(double recall) {
  char text[8];
  std::snprintf(text, sizeof text, "%03d", static_cast<int>(std::lround(recall * 100)));
  return text;
}

const SideResult* find_side(const std::vector<SideResult>& sides, const std::string& name) {
  for (const auto& side : sides)
    if (side.name == name && side.error.empty()) return &side;
  return nullptr;
}

bool is_pixlake(const SideResult& side) { return side.name.rfind("pixlake", 0) == 0; }

double ratio(double ours, double theirs) {
  return std::isfinite(ours) && std::isfinite(theirs) && theirs > 0 ? ours / theirs : kNan;
}

void print_check(const char* what, double value, const char* op, double target) {
  bool pass = op[0] == '>' ? value >= target : value <= target;
  std::printf("    %-50s %6.2f (target %s %.2f)  %s\n", what, value, op, target,
              std::isfinite(value) ? (pass ? "PASS" : "FAIL") : "n/a");
}

// True when even the fastest point of the curve reaches `recall`.
bool starts_above(const std::vector<CurvePoint>& curve, double recall) {
  return !curve.empty() && std::all_of(curve.begin(), curve.end(), [&](const CurvePoint& point) {
    return point.recall >= recall;
  });
}

}  // namespace

double qps_at_recall(const std::vector<CurvePoint>& curve, size_t thread_index, double recall) {
  // Frontier: walking from the highest recall down, keep a point only when it is faster than
  // every point of higher recall; what remains has QPS falling as recall rises.
  std::vector<std::pair<double, double>> points;  // (recall, qps)
  for (const auto& point : curve)
    if (thread_index < point.qps.size()) points.emplace_back(point.recall, point.qps[thread_index]);
  std::sort(points.begin(), points.end());
  std::vector<std::pair<double, double>> frontier;
  for (auto it = points.rbegin(); it != points.rend(); ++it)
    if (frontier.empty() || it->second > frontier.back().second) frontier.push_back(*it);
  std::reverse(frontier.begin(), frontier.end());
  if (frontier.empty() || frontier.back().first < recall) return kNan;
  if (frontier.front().first >= recall) return frontier.front().second;
  for (size_t i = 1; i < frontier.size(); ++i) {
    auto [r1, q1] = frontier[i];
    if (r1 < recall) continue;
    auto [r0, q0] = frontier[i - 1];
    return r1 == r0 ? q1 : q0 + (q1 - q0) * (recall - r0) / (r1 - r0);
  }
  return kNan;
}

void print_header(const RunInfo& run) {
  const auto& m = run.machine;
  std::printf("pixlake index benchmark\n");
  std::printf("  cpu      %s (%d logical CPUs), isa: %s\n", m.cpu_model.c_str(), m.logical_cpus,
              m.isa.c_str());
  std::printf("  commit   %s   load average %.2f\n", m.git_commit.c_str(), m.load_average);
  std::printf("  dataset  %s: %lld base, %lld queries, dim %d, %s, recall@%d\n",
              run.dataset.c_str(), static_cast<long long>(run.n_base),
              static_cast<long long>(run.n_queries), run.dim, run.distance.c_str(), run.k);
  std::printf("  threads  build %d, search", run.build_threads);
  for (int t : run.search_threads) std::printf(" %d", t);
  std::printf(" (one query per call)\n");
}

void print_curve_row(const SideResult& side, const CurvePoint& point) {
  std::printf("  %-22s ef %4d  recall %.4f", side.name.c_str(), point.ef, point.recall);
  for (double qps : point.qps) std::printf("  %10.0f", qps);
  std::printf("\n");
  std::fflush(stdout);
}

void print_summary(const RunInfo& run, const std::vector<SideResult>& sides) {
  bool any_lower_bound = false;
  std::printf("\n%-22s %9s %10s %10s", "side", "build s", "mem MiB", "rss MiB");
  for (double recall : kTargetRecalls)
    for (int t : run.search_threads) std::printf("  qps@%.2f/%dt", recall, t);
  std::printf("\n");
  for (const auto& side : sides) {
    if (!side.error.empty()) {
      std::printf("%-22s failed: %s\n", side.name.c_str(), side.error.c_str());
      continue;
    }
    std::printf("%-22s %9.1f %10.1f %10.1f", side.name.c_str(), side.build_seconds,
                side.memory_bytes / 1048576.0, side.rss_delta_bytes / 1048576.0);
    for (double recall : kTargetRecalls) {
      for (size_t t = 0; t < run.search_threads.size(); ++t) {
        bool lower_bound = starts_above(side.curve, recall);
        any_lower_bound = any_lower_bound || lower_bound;
        std::printf("  %12.0f%s", qps_at_recall(side.curve, t, recall), lower_bound ? "+" : "");
      }
    }
    std::printf("\n");
  }
  if (any_lower_bound) {
    std::printf(
        "  +: the whole curve is at or above this recall (ef cannot go below k), so this is\n"
        "     the fastest point's QPS, a lower bound; ratios there compare fastest points.\n");
  }
  for (const char* peer_name : {"hnswlib", "faiss"}) {
    const SideResult* peer = find_side(sides, peer_name);
    if (peer == nullptr) continue;
    for (const auto& side : sides) {
      if (!is_pixlake(side) || !side.error.empty()) continue;
      std::printf("%-22s / %-8s build %5.2fx  rss %5.2fx", side.name.c_str(), peer_name,
                  ratio(side.build_seconds, peer->build_seconds),
                  ratio(side.rss_delta_bytes, peer->rss_delta_bytes));
      for (double recall : kTargetRecalls)
        for (size_t t = 0; t < run.search_threads.size(); ++t)
          std::printf(
              "  qps@%.2f/%dt %5.2fx", recall, run.search_threads[t],
              ratio(qps_at_recall(side.curve, t, recall), qps_at_recall(peer->curve, t, recall)));
      std::printf("\n");
    }
  }
  // The acceptance targets, judged against hnswlib at 1 search thread.
  const SideResult* hnsw = find_side(sides, "hnswlib");
  auto one_thread = std::find(run.search_threads.begin(), run.search_threads.end(), 1);
  bool any_pixlake = std::any_of(sides.begin(), sides.end(), is_pixlake);
  if (hnsw == nullptr || one_thread == run.search_threads.end() || !any_pixlake) return;
  size_t t1 = one_thread - run.search_threads.begin();
  std::printf("\nacceptance targets vs hnswlib (1 search thread)\n");
  for (const auto& side : sides) {
    if (!is_pixlake(side) || !side.error.empty()) continue;
    std::printf("  %s\n", side.name.c_str());
    double r95 = ratio(qps_at_recall(side.curve, t1, 0.95), qps_at_recall(hnsw->curve, t1, 0.95));
    double r99 = ratio(qps_at_recall(side.curve, t1, 0.99), qps_at_recall(hnsw->curve, t1, 0.99));
    if (run.dataset == "fashion-mnist") {
      print_check("QPS at recall@10 0.95, x hnswlib", r95, ">=", 2.0);
      print_check("QPS at recall@10 0.99, x hnswlib", r99, ">=", 1.5);
    } else {
      print_check("QPS at recall@10 0.95, x hnswlib", r95, ">=", 1.5);
      double mem = ratio(side.memory_bytes, hnsw->memory_bytes);
      double rss = ratio(side.rss_delta_bytes, hnsw->rss_delta_bytes);
      print_check("index memory (own figure/estimate), x hnswlib", mem, "<=", 1.0);
      print_check("index memory (RSS delta), x hnswlib", rss, "<=", 1.0);
      double build = ratio(side.build_seconds, hnsw->build_seconds);
      char what[64];
      std::snprintf(what, sizeof what, "build time at %d threads, x hnswlib", run.build_threads);
      print_check(what, build, "<=", 1.0);
    }
  }
}

Status write_json(const std::string& path, const RunInfo& run,
                  const std::vector<SideResult>& sides) {
  std::ofstream out(path);
  if (!out) return io_error("index_bench: cannot write '" + path + "'");
  const auto& m = run.machine;
  out << "{\n  \"dataset\": " << json_quote(run.dataset) << ",\n  \"n_base\": " << run.n_base
      << ",\n  \"n_queries\": " << run.n_queries << ",\n  \"dim\": " << run.dim
      << ",\n  \"metric\": " << json_quote(run.distance) << ",\n  \"k\": " << run.k
      << ",\n  \"build_threads\": " << run.build_threads << ",\n  \"threads\": [";
  for (size_t t = 0; t < run.search_threads.size(); ++t)
    out << (t ? ", " : "") << run.search_threads[t];
  out << "],\n  \"git_commit\": " << json_quote(m.git_commit)
      << ",\n  \"machine\": {\"cpu\": " << json_quote(m.cpu_model)
      << ", \"isa\": " << json_quote(m.isa) << ", \"logical_cpus\": " << m.logical_cpus
      << ", \"load_average\": " << json_number(m.load_average)
      << ", \"load_average_after\": " << json_number(run.load_average_after) << "}"
      << ",\n  \"ground_truth_seconds\": " << json_number(run.ground_truth_seconds)
      << ",\n  \"sides\": [";
  auto qps_fields = [&](const char* prefix, auto value_of) {
    std::string text;
    for (size_t t = 0; t < run.search_threads.size(); ++t)
      text += ", \"" + std::string(prefix) + std::to_string(run.search_threads[t]) +
              "t\": " + json_number(value_of(t));
    return text;
  };
  for (size_t s = 0; s < sides.size(); ++s) {
    const auto& side = sides[s];
    out << (s ? "," : "") << "\n    {\"name\": " << json_quote(side.name)
        << ", \"params\": " << json_quote(side.params);
    if (!side.error.empty()) out << ", \"error\": " << json_quote(side.error);
    out << ", \"build_seconds\": " << json_number(side.build_seconds)
        << ", \"memory_bytes\": " << side.memory_bytes
        << ", \"rss_delta_bytes\": " << side.rss_delta_bytes;
    for (double recall : kTargetRecalls) {
      std::string prefix = "qps_at_" + recall_key(recall) + "_";
      out << qps_fields(prefix.c_str(),
                        [&](size_t t) { return qps_at_recall(side.curve, t, recall); });
    }
    out << ",\n     \"curve\": [";
    for (size_t i = 0; i < side.curve.size(); ++i) {
      const auto& point = side.curve[i];
      out << (i ? "," : "") << "\n       {\"ef\": " << point.ef
          << ", \"recall\": " << json_number(point.recall)
          << qps_fields("qps_", [&](size_t t) { return point.qps[t]; }) << "}";
    }
    out << "]}";
  }
  out << "\n  ],\n  \"ratios\": [";
  bool first = true;
  for (const char* peer_name : {"hnswlib", "faiss"}) {
    const SideResult* peer = find_side(sides, peer_name);
    if (peer == nullptr) continue;
    for (const auto& side : sides) {
      if (!is_pixlake(side) || !side.error.empty()) continue;
      out << (first ? "" : ",") << "\n    {\"side\": " << json_quote(side.name)
          << ", \"vs\": " << json_quote(peer_name)
          << ", \"build_seconds\": " << json_number(ratio(side.build_seconds, peer->build_seconds))
          << ", \"memory_bytes\": " << json_number(ratio(side.memory_bytes, peer->memory_bytes))
          << ", \"rss_delta_bytes\": "
          << json_number(ratio(side.rss_delta_bytes, peer->rss_delta_bytes));
      for (double recall : kTargetRecalls) {
        std::string prefix = "qps_at_" + recall_key(recall) + "_";
        out << qps_fields(prefix.c_str(), [&](size_t t) {
          return ratio(qps_at_recall(side.curve, t, recall), qps_at_recall(peer->curve, t, recall));
        });
      }
      out << "}";
      first = false;
    }
  }
  out << "\n  ]\n}\n";
  out.close();
  if (!out) return io_error("index_bench: writing '" + path + "' failed");
  return Status::ok();
}

}  // namespace pixlake::bench
