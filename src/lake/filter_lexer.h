// Tokens of the --where filter language (see docs/filters.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

enum class FilterTokenKind {
  kWord,       // a field name or keyword: letters, digits, '_' (case-insensitive)
  kMetaField,  // meta.<key>; `text` holds the key, case preserved
  kString,     // '...' or "..."; `text` holds the unescaped value
  kInteger,    // `integer` holds the value (size suffixes applied)
  kDecimal,    // `decimal` holds the value (size suffixes applied)
  kLParen,
  kRParen,
  kComma,
  kEq,  // = or ==
  kNe,  // != or <>
  kLt,
  kLe,
  kGt,
  kGe,
  kGlob,     // ~
  kNotGlob,  // !~
  kEnd,
};

struct FilterToken {
  FilterTokenKind kind = FilterTokenKind::kEnd;
  size_t offset = 0;     // byte offset of the first character in the expression
  std::string_view raw;  // the source text of the token
  std::string text;      // kWord, kMetaField, kString
  int64_t integer = 0;   // kInteger
  double decimal = 0.0;  // kDecimal
};

// Splits `text` into tokens ending with one kEnd. Errors (unterminated string, unknown escape,
// stray character, NUL byte, number out of range, unknown size suffix) are InvalidArgument with
// the column and a caret.
Result<std::vector<FilterToken>> lex_filter(std::string_view text);

// The characters of a user metadata key (after `meta.`): A-Z a-z 0-9 _ . -. `pixlake meta`
// refuses keys outside it, so every stored key can be named in a filter.
bool is_meta_key_char(char c);

}  // namespace pixlake
