#include "args.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace pixlake::cli {
namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

Result<Args> parse_args(const std::vector<std::string>& argv, const ArgSpec& spec) {
  Args args;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      args.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string flag = a;
    std::string value;
    bool inline_value = false;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      flag = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (spec.switches.count(flag)) {
      if (inline_value) return invalid_argument("option " + flag + " takes no value");
      args.switches.insert(flag);
    } else if (spec.valued.count(flag)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return invalid_argument("option " + flag + " needs a value");
        value = argv[++i];
      }
      args.values[flag] = value;
    } else {
      return invalid_argument("unknown option " + flag);
    }
  }
  return args;
}

Result<int64_t> parse_positive_int(const std::string& flag, const std::string& text, int64_t max) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size() && v > 0 && v <= max) return static_cast<int64_t>(v);
  } catch (const std::exception&) {
  }
  return invalid_argument("option " + flag + " needs an integer from 1 to " + std::to_string(max) +
                          ", got '" + text + "'");
}

Status read_number(const Args& args, const std::string& flag, double min, double max, double* out) {
  if (!args.has(flag)) return Status::ok();
  const std::string text = args.get(flag);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !(value >= min) ||
      !(value <= max)) {
    return invalid_argument(flag + ": expected a number from " + format_number(min) + " to " +
                            format_number(max) + ", got '" + text + "'");
  }
  *out = value;
  return Status::ok();
}

}  // namespace pixlake::cli
