// A small command-line parser: --flag VALUE, --flag=VALUE, -o VALUE, boolean switches and
// positional arguments. Unknown flags are errors, so typos never pass silently.
#pragma once

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

Result<Args> parse_args(const std::vector<std::string>& argv, const ArgSpec& spec);
// Parses a positive integer flag value; error names the flag.
Result<int> parse_positive_int(const std::string& flag, const std::string& text);

}  // namespace pixlake::cli
