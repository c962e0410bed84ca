#include "lake/glob_match.h"

#include <cstdint>

namespace pixlake {
namespace {

// Length in bytes of the UTF-8 character starting at `pos`; 1 for a byte that does not start a
// well-formed sequence, so matching always advances and never reads past the end.
size_t char_length(std::string_view s, size_t pos) {
  auto byte = static_cast<uint8_t>(s[pos]);
  size_t n = byte < 0x80           ? 1
             : (byte >> 5) == 0x6  ? 2
             : (byte >> 4) == 0xE  ? 3
             : (byte >> 3) == 0x1E ? 4
                                   : 1;
  if (pos + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<uint8_t>(s[pos + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

// The code point of the character at `pos` (the byte value for an invalid byte).
uint32_t code_point(std::string_view s, size_t pos, size_t length) {
  auto byte = static_cast<uint8_t>(s[pos]);
  if (length == 1) return byte;
  uint32_t cp = byte & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[pos + k]) & 0x3F);
  return cp;
}

// Offset just past the `]` closing the set that starts at `open` (a `[`), or npos.
size_t set_end(std::string_view pattern, size_t open) {
  size_t p = open + 1;
  if (p < pattern.size() && (pattern[p] == '!' || pattern[p] == '^')) ++p;
  if (p < pattern.size() && pattern[p] == ']') ++p;  // a leading ']' is a member
  while (p < pattern.size() && pattern[p] != ']') p += char_length(pattern, p);
  return p < pattern.size() ? p + 1 : std::string_view::npos;
}

// Whether character `c` belongs to the set pattern[open, end).
bool set_contains(std::string_view pattern, size_t open, size_t end, uint32_t c) {
  size_t p = open + 1;
  bool negated = pattern[p] == '!' || pattern[p] == '^';
  if (negated) ++p;
  size_t last = end - 1;  // the closing ']'
  bool first = true;
  bool found = false;
  while (p < last && (first || pattern[p] != ']')) {
    first = false;
    size_t len = char_length(pattern, p);
    uint32_t lo = code_point(pattern, p, len);
    p += len;
    uint32_t hi = lo;
    if (p + 1 < last && pattern[p] == '-') {  // a range; a '-' just before ']' is literal
      size_t hi_len = char_length(pattern, p + 1);
      hi = code_point(pattern, p + 1, hi_len);
      p += 1 + hi_len;
    }
    if (lo <= c && c <= hi) found = true;
  }
  return found != negated;
}

}  // namespace

size_t glob_pattern_error(std::string_view pattern) {
  for (size_t p = 0; p < pattern.size(); p += char_length(pattern, p)) {
    if (pattern[p] != '[') continue;
    size_t end = set_end(pattern, p);
    if (end == std::string_view::npos) return p;
    p = end - 1;
  }
  return std::string_view::npos;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Greedy matching that remembers only the last '*': every other pattern element matches
  // exactly one character, so O(|pattern| * |text|) and no recursion.
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0, t = 0;
  size_t star_p = kNone, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char c = pattern[p];
      if (c == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      size_t len = char_length(text, t);
      if (c == '?') {
        ++p;
        t += len;
        continue;
      }
      size_t end = c == '[' ? set_end(pattern, p) : kNone;
      if (end != kNone) {
        if (set_contains(pattern, p, end, code_point(text, t, len))) {
          p = end;
          t += len;
          continue;
        }
      } else if (c == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == kNone) return false;
    // Let the last '*' swallow one more character and retry from just after it.
    star_t += char_length(text, star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace pixlake
