// Glob matching shared by the --where evaluator and the SQL function pixlake_glob(), so the
// brute-force filter and the catalog query agree byte for byte.
#pragma once

#include <cstddef>
#include <string_view>

namespace pixlake {

// fnmatch-like, without FNM_PATHNAME: `*` matches any run of characters (including '/'), `?`
// exactly one character, `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` one character of (or not of) a
// set; a `]` right after `[` or `[!` is literal. Everything else matches itself, case-sensitively.
// A character is one UTF-8 code point; a byte that is not valid UTF-8 counts as one character.
// A `[` without a closing `]` matches a literal `[` (parse_filter refuses such patterns, see
// glob_pattern_error).
bool glob_match(std::string_view pattern, std::string_view text);

// Byte offset of the first `[` that is never closed, or npos when the pattern is well formed.
size_t glob_pattern_error(std::string_view pattern);

}  // namespace pixlake
