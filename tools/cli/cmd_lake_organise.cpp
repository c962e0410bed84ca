// `pixlake tag`, `pixlake rm`, `pixlake export`: organising a lake and getting data out.
#include <cstdio>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "service/lake_service.h"

namespace pixlake::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int cmd_tag(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--where", "--add", "--remove"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1 || (!args->has("--add") && !args->has("--remove"))) {
    return fail("tag: usage: pixlake tag LAKE [--where EXPR] [--add T1,T2] [--remove T3]");
  }
  TagChange change{split_list(args->get("--add")), split_list(args->get("--remove"))};
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto n = tag_images(**lake, args->get("--where"), change);
  if (!n.is_ok()) return fail(n.status().message());
  std::printf("tagged %lld images\n", static_cast<long long>(*n));
  return 0;
}

int cmd_meta(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--where", "--set", "--unset"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1 || (!args->has("--set") && !args->has("--unset"))) {
    return fail("meta: usage: pixlake meta LAKE [--where EXPR] [--set KEY=VALUE] [--unset K1,K2]");
  }
  MetaChange change;
  if (args->has("--set")) {
    std::string pair = args->get("--set");
    auto eq = pair.find('=');
    if (eq == std::string::npos) return fail("meta: --set takes KEY=VALUE, got '" + pair + "'");
    change.set.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  change.unset = split_list(args->get("--unset"));
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto n = set_image_meta(**lake, args->get("--where"), change);
  if (!n.is_ok()) return fail(n.status().message());
  std::printf("updated metadata of %lld images\n", static_cast<long long>(*n));
  return 0;
}

int cmd_rm(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--where"}, .switches = {"--all"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1 || (!args->has("--where") && !args->has("--all"))) {
    // Removing everything by accident is too easy without an explicit --all.
    return fail("rm: usage: pixlake rm LAKE (--where EXPR | --all)");
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kWrite);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto n = remove_images(**lake, args->get("--where"));
  if (!n.is_ok()) return fail(n.status().message());
  std::printf("removed %lld images from the lake (files on disk untouched)\n",
              static_cast<long long>(*n));
  return 0;
}

int cmd_export(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--format", "--model", "--where", "-o"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1 || !args->has("-o")) {
    return fail(
        "export: usage: pixlake export LAKE --format npy|csv [--model M] [--where EXPR] -o OUT");
  }
  std::string format_name = args->get("--format", "npy");
  ExportFormat format;
  if (format_name == "npy") {
    format = ExportFormat::kNpy;
  } else if (format_name == "csv") {
    format = ExportFormat::kCsv;
  } else if (format_name == "parquet") {
    return fail(
        "export: parquet needs Apache Arrow, which Debian 12 does not package; use npy or csv");
  } else {
    return fail("export: unknown --format '" + format_name + "' (npy, csv)");
  }
  auto lake = Lake::open(args->positional[0], Lake::Access::kRead);
  if (!lake.is_ok()) return fail(lake.status().message());
  auto n = export_embeddings(**lake, args->get("--model"), args->get("--where"), format,
                             args->get("-o"));
  if (!n.is_ok()) return fail(n.status().message());
  std::printf("exported %lld embeddings to %s\n", static_cast<long long>(*n),
              args->get("-o").c_str());
  return 0;
}

}  // namespace pixlake::cli
