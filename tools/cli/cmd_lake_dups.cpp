// pixlake dups LAKE: duplicate groups with evidence and a suggested keeper; optionally tags or
// moves the others, and records the user's verdicts on pairs.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "args.h"
#include "commands.h"
#include "lake/lake_dups.h"
#include "lake/lake_dups_json.h"
#include "progress_bar.h"

namespace pixlake::cli {
namespace {

constexpr const char* kUsage =
    "dups: usage: pixlake dups LAKE [--model M] [--threshold COSINE] [--hash-distance BITS] "
    "[--near-threshold COSINE] [--near-hash-distance BITS] [--bovw-threshold COSINE] "
    "[--embedding-max-phash BITS] [--tiers exact,hash,embedding,near,bovw] "
    "[-k N] [--threads N] [--json] "
    "[--tag TAG | --move DIR] | pixlake dups LAKE (--not-dup|--is-dup) ID1,ID2";

Result<std::pair<int64_t, int64_t>> parse_id_pair(const std::string& flag,
                                                  const std::string& text) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos) return invalid_argument(flag + ": expected ID1,ID2");
  PIXLAKE_ASSIGN_OR_RETURN(int64_t a, parse_positive_int(flag, text.substr(0, comma), INT64_MAX));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t b, parse_positive_int(flag, text.substr(comma + 1), INT64_MAX));
  return std::pair{a, b};
}

int record_verdict(Lake& lake, const std::string& flag, const std::string& text) {
  auto ids = parse_id_pair(flag, text);
  if (!ids.is_ok()) return fail(ids.status().message());
  for (int64_t id : {ids->first, ids->second}) {
    auto found = lake.catalog().find_by_id(id);
    if (!found.is_ok()) return fail(found.status().message());
    if (!*found) return fail(flag + ": no image with id " + std::to_string(id));
  }
  Status s = lake.catalog().set_dup_verdict(ids->first, ids->second, flag == "--is-dup");
  if (!s.is_ok()) return fail(s.message());
  std::printf("recorded: images %lld and %lld are %s\n", static_cast<long long>(ids->first),
              static_cast<long long>(ids->second),
              flag == "--is-dup" ? "duplicates" : "not duplicates");
  return 0;
}

std::string tiers_text(uint8_t tiers) {
  std::string out;
  for (const std::string& name : dup_tier_names(tiers)) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void print_text(const LakeDupReport& report) {
  int64_t extra = 0;
  for (const LakeDupGroup& group : report.groups) {
    extra += static_cast<int64_t>(group.images.size()) - 1;
    std::printf("group of %zu:\n", group.images.size());
    for (size_t i = 0; i < group.images.size(); ++i) {
      const LakeDupImage& im = group.images[i];
      std::printf("  %s %6lld  %dx%d  %s\n", i == 0 ? "keep" : "    ",
                  static_cast<long long>(im.id), im.width, im.height, im.path.c_str());
    }
    for (const LakeDupPair& pair : group.pairs) {
      std::printf("    %lld~%lld: %s", static_cast<long long>(pair.a),
                  static_cast<long long>(pair.b), tiers_text(pair.evidence.tiers).c_str());
      if (pair.evidence.phash_distance >= 0) {
        std::printf("  phash %d bits", pair.evidence.phash_distance);
        if (pair.evidence.hash_match != HashMatch::kDirect) {
          std::printf(" (%s)", hash_match_name(pair.evidence.hash_match));
        }
      }
      if (pair.evidence.cosine > -2.0f) std::printf("  cosine %.3f", pair.evidence.cosine);
      if (pair.evidence.bovw > -2.0f) std::printf("  bovw %.3f", pair.evidence.bovw);
      std::printf("\n");
    }
  }
  std::printf("%zu groups, %lld images could go (%lld images, %lld candidate pairs, %.1fs)\n",
              report.groups.size(), static_cast<long long>(extra),
              static_cast<long long>(report.images), static_cast<long long>(report.candidates),
              report.seconds);
}

// Moves every non-keeper into `dir` and records the new path, so the lake stays consistent.
Status move_extras(Lake& lake, const LakeDupReport& report, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("--move: cannot create '" + dir + "': " + ec.message());
  const std::string target_dir = fs::absolute(dir).lexically_normal().string();
  for (const LakeDupGroup& group : report.groups) {
    for (size_t i = 1; i < group.images.size(); ++i) {
      const LakeDupImage& im = group.images[i];
      // The id prefix keeps two "IMG_0001.jpg" from different folders apart.
      const std::string target =
          target_dir + "/" + std::to_string(im.id) + "_" + fs::path(im.path).filename().string();
      fs::rename(im.path, target, ec);
      if (ec) {
        return io_error("--move: cannot move '" + im.path + "' to '" + target +
                        "': " + ec.message() + " (moved files so far are recorded)");
      }
      struct stat st;
      FileStamp stamp{im.size_bytes, im.mtime};
      if (::stat(target.c_str(), &st) == 0) stamp = {st.st_size, st.st_mtime};
      PIXLAKE_RETURN_IF_ERROR(lake.catalog().update_location(im.id, target, stamp));
    }
  }
  return Status::ok();
}

Status tag_extras(Lake& lake, const LakeDupReport& report, const std::string& tag) {
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, lake.catalog().begin());
  for (const LakeDupGroup& group : report.groups) {
    for (size_t i = 1; i < group.images.size(); ++i) {
      PIXLAKE_RETURN_IF_ERROR(lake.catalog().add_tag(group.images[i].id, tag));
    }
  }
  return tx.commit();
}

}  // namespace

int cmd_dups(const std::vector<std::string>& argv) {
  auto args =
      parse_args(argv, {.valued = {"--model", "--threshold", "--hash-distance", "--bovw-threshold",
                                   "--tiers", "--embedding-max-phash", "-k", "--threads", "--tag",
                                   "--move", "--not-dup", "--is-dup"},
                        .switches = {"--json"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) return fail(kUsage);
  if (args->has("--tag") && args->has("--move")) return fail("dups: use --tag or --move, not both");
  LakeDupOptions options;
  options.model = args->get("--model");
  double cosine = options.thresholds.min_cosine;
  double bovw = options.thresholds.min_bovw;
  int bits = options.thresholds.max_phash_distance;
  double near_cosine = options.thresholds.near_cosine;
  for (Status s : {read_number(*args, "--threshold", -1.0, 1.0, &cosine),
                   read_number(*args, "--bovw-threshold", -1.0, 1.0, &bovw),
                   read_number(*args, "--near-threshold", -1.0, 1.0, &near_cosine),
                   read_positive_int(*args, "--near-hash-distance",
                                     &options.thresholds.near_phash_distance, 64),
                   read_positive_int(*args, "--hash-distance", &bits, 64),
                   read_positive_int(*args, "--embedding-max-phash",
                                     &options.thresholds.embedding_max_phash, 64),
                   read_positive_int(*args, "-k", &options.k, 1000),
                   read_positive_int(*args, "--threads", &options.threads, 1024)}) {
    if (!s.is_ok()) return fail(s.message());
  }
  options.thresholds.min_cosine = static_cast<float>(cosine);
  options.thresholds.min_bovw = static_cast<float>(bovw);
  options.thresholds.near_cosine = static_cast<float>(near_cosine);
  options.thresholds.max_phash_distance = bits;
  if (args->has("--tiers")) {
    auto tiers = parse_dup_tiers(args->get("--tiers"));
    if (!tiers.is_ok()) return fail(tiers.status().message());
    options.thresholds.tiers = *tiers;
  }

  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  for (const char* flag : {"--not-dup", "--is-dup"}) {
    if (args->has(flag)) return record_verdict(**lake, flag, args->get(flag));
  }
  ProgressBar bar("hashing", stderr_is_terminal());
  options.on_hash_progress = [&bar](int64_t done, int64_t total) { bar.update(done, total, 0, 0); };
  auto report = find_lake_duplicates(**lake, options);
  bar.finish();
  if (!report.is_ok()) return fail(report.status().message());
  if (report->hash_failed > 0) {
    std::fprintf(stderr, "pixlake: %lld images could not be decoded for hashing (skipped)\n",
                 static_cast<long long>(report->hash_failed));
  }
  if (args->has("--tag")) {
    if (Status s = tag_extras(**lake, *report, args->get("--tag")); !s.is_ok())
      return fail(s.message());
  }
  if (args->has("--move")) {
    if (Status s = move_extras(**lake, *report, args->get("--move")); !s.is_ok()) {
      return fail(s.message());
    }
  }
  if (args->has("--json")) {
    std::printf("%s\n", dups_report_json(*report).c_str());
  } else {
    print_text(*report);
  }
  return 0;
}

}  // namespace pixlake::cli
