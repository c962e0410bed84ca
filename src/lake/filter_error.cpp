#include "lake/filter_error.h"

#include <cstdio>

namespace pixlake {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string quote_for_message(std::string_view token) {
  std::string out;
  for (char c : token) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    }
  }
  return out;
}

Status filter_error(std::string_view text, size_t offset, const std::string& what,
                    const std::string& detail) {
  if (offset > text.size()) offset = text.size();
  // The echo keeps the expression on one line: control characters become spaces (a newline
  // would break the caret alignment).
  std::string echo;
  size_t column = 1;
  for (size_t k = 0; k < text.size(); ++k) {
    auto byte = static_cast<unsigned char>(text[k]);
    echo += byte < 0x20 || byte == 0x7F ? ' ' : text[k];
    if (k < offset && !is_continuation(text[k])) ++column;
  }
  std::string message = what + " at column " + std::to_string(column);
  if (!detail.empty()) message += "; " + detail;
  message += "\n  " + echo + "\n  " + std::string(column - 1, ' ') + "^";
  return invalid_argument(message);
}

}  // namespace pixlake
