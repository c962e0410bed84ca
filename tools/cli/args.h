// A small command-line parser: --flag VALUE, --flag=VALUE, -o VALUE, boolean switches and
// positional arguments. Unknown flags are errors, so typos never pass silently.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake::cli {

struct ArgSpec {
  std::set<std::string> valued;    // flags that take a value, e.g. "--model", "-o"
  std::set<std::string> switches;  // flags without a value, e.g. "--json"
};

struct Args {
  std::map<std::string, std::string> values;
  std::set<std::string> switches;
  std::vector<std::string> positional;

  std::string get(const std::string& flag, const std::string& fallback = "") const {
    auto it = values.find(flag);
    return it == values.end() ? fallback : it->second;
  }
  bool has(const std::string& flag) const { return values.count(flag) || switches.count(flag); }
};

// The largest value parse_positive_int accepts unless told otherwise.
constexpr int64_t kDefaultIntFlagMax = 1'000'000;

Result<Args> parse_args(const std::vector<std::string>& argv, const ArgSpec& spec);
// Parses a positive integer flag value in [1, max]; error names the flag.
Result<int64_t> parse_positive_int(const std::string& flag, const std::string& text,
                                   int64_t max = kDefaultIntFlagMax);
// Sets *out from `flag` when given; leaves it unchanged when absent.
template <typename T>
Status read_positive_int(const Args& args, const std::string& flag, T* out,
                         int64_t max = kDefaultIntFlagMax) {
  if (!args.has(flag)) return Status::ok();
  PIXLAKE_ASSIGN_OR_RETURN(int64_t value, parse_positive_int(flag, args.get(flag), max));
  *out = static_cast<T>(value);
  return Status::ok();
}

// Sets *out from a real-number flag in [min, max] when given; error names the flag and range.
Status read_number(const Args& args, const std::string& flag, double min, double max, double* out);

}  // namespace pixlake::cli
