#include "lake/filter_lexer.h"

#include <charconv>
#include <cmath>

#include "lake/filter_error.h"

namespace pixlake {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || is_digit(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view word, std::string_view lowercase) {
  if (word.size() != lowercase.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (lower(word[k]) != lowercase[k]) return false;
  }
  return true;
}

// 1024-based size multipliers: 10KB, 5MB, 1GB, 2TB (and B for bytes).
int64_t size_multiplier(std::string_view suffix) {
  if (equals_lower(suffix, "b")) return 1;
  if (equals_lower(suffix, "kb")) return int64_t{1} << 10;
  if (equals_lower(suffix, "mb")) return int64_t{1} << 20;
  if (equals_lower(suffix, "gb")) return int64_t{1} << 30;
  if (equals_lower(suffix, "tb")) return int64_t{1} << 40;
  return 0;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<FilterToken>> run() {
    std::vector<FilterToken> tokens;
    while (true) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                     text_[pos_] == '\n' || text_[pos_] == '\r')) {
        ++pos_;
      }
      FilterToken token;
      token.offset = pos_;
      if (pos_ == text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      PIXLAKE_RETURN_IF_ERROR(next(token));
      token.raw = text_.substr(token.offset, pos_ - token.offset);
      tokens.push_back(std::move(token));
    }
  }

 private:
  Status next(FilterToken& token) {
    char c = text_[pos_];
    char c1 = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (is_word_start(c)) return word(token);
    if (is_digit(c) || (c == '-' && is_digit(c1))) return number(token);
    if (c == '\'' || c == '"') return string(token);
    auto single = [&](FilterTokenKind kind, size_t length) {
      token.kind = kind;
      pos_ += length;
      return Status::ok();
    };
    switch (c) {
      case '(': return single(FilterTokenKind::kLParen, 1);
      case ')': return single(FilterTokenKind::kRParen, 1);
      case ',': return single(FilterTokenKind::kComma, 1);
      case '~': return single(FilterTokenKind::kGlob, 1);
      case '=': return single(FilterTokenKind::kEq, c1 == '=' ? 2 : 1);
      case '<':
        if (c1 == '=') return single(FilterTokenKind::kLe, 2);
        if (c1 == '>') return single(FilterTokenKind::kNe, 2);
        return single(FilterTokenKind::kLt, 1);
      case '>':
        if (c1 == '=') return single(FilterTokenKind::kGe, 2);
        return single(FilterTokenKind::kGt, 1);
      case '!':
        if (c1 == '=') return single(FilterTokenKind::kNe, 2);
        if (c1 == '~') return single(FilterTokenKind::kNotGlob, 2);
        break;
      default: break;
    }
    if (c == '\0') return filter_error(text_, pos_, "NUL byte");
    size_t length = 1;
    while ((static_cast<unsigned char>(c) & 0xC0) == 0xC0 && pos_ + length < text_.size() &&
           (static_cast<unsigned char>(text_[pos_ + length]) & 0xC0) == 0x80) {
      ++length;  // show a whole UTF-8 character
    }
    std::string_view shown = text_.substr(pos_, length);
    bool printable = static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
    return filter_error(text_, pos_,
                        "unexpected character '" +
                            (printable ? std::string(shown) : quote_for_message(shown)) + "'");
  }

  Status word(FilterToken& token) {
    size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    if (equals_lower(word, "meta") && pos_ < text_.size() && text_[pos_] == '.') {
      size_t key_start = ++pos_;
      while (pos_ < text_.size() && is_meta_key_char(text_[pos_])) ++pos_;
      if (pos_ == key_start) {
        return filter_error(text_, key_start, "expected a key after 'meta.'",
                            "keys use letters, digits and _ . -");
      }
      token.kind = FilterTokenKind::kMetaField;
      token.text = std::string(text_.substr(key_start, pos_ - key_start));
      return Status::ok();
    }
    token.kind = FilterTokenKind::kWord;
    token.text = std::string(word);
    return Status::ok();
  }

  Status number(FilterToken& token) {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    bool is_decimal = false;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && is_digit(text_[pos_ + 1])) {
      is_decimal = true;
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    std::string_view digits = text_.substr(start, pos_ - start);
    size_t suffix_start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    std::string_view suffix = text_.substr(suffix_start, pos_ - suffix_start);
    int64_t multiplier = 1;
    if (!suffix.empty()) {
      multiplier = size_multiplier(suffix);
      if (multiplier == 0) {
        return filter_error(text_, suffix_start,
                            "unknown suffix '" + std::string(suffix) + "' after a number",
                            "sizes take B, KB, MB, GB or TB (1024-based)");
      }
    }
    const char* first = digits.data();
    const char* last = digits.data() + digits.size();
    if (!is_decimal) {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(first, last, value);
      if (ec == std::errc() && end == last && !__builtin_mul_overflow(value, multiplier, &value)) {
        token.kind = FilterTokenKind::kInteger;
        token.integer = value;
        return Status::ok();
      }
      return filter_error(
          text_, start,
          "number '" + std::string(text_.substr(start, pos_ - start)) + "' is out of range");
    }
    double value = 0.0;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last ||
        !std::isfinite(value * static_cast<double>(multiplier))) {
      return filter_error(
          text_, start,
          "number '" + std::string(text_.substr(start, pos_ - start)) + "' is out of range");
    }
    value *= static_cast<double>(multiplier);
    // 1.5MB is a whole number of bytes: keep it an integer so it compares like one.
    if (multiplier > 1 && value == std::floor(value) && std::fabs(value) < 9.0e18) {
      token.kind = FilterTokenKind::kInteger;
      token.integer = static_cast<int64_t>(value);
      return Status::ok();
    }
    token.kind = FilterTokenKind::kDecimal;
    token.decimal = value;
    return Status::ok();
  }

  Status string(FilterToken& token) {
    size_t start = pos_;
    char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_];
      if (c == '\0') return filter_error(text_, pos_, "NUL byte");
      if (c == '\\') {
        char escaped = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (escaped != '\\' && escaped != '\'' && escaped != '"') {
          return filter_error(text_, pos_, "unknown escape in string",
                              "only \\\\, \\' and \\\" are escapes");
        }
        value += escaped;
        pos_ += 2;
        continue;
      }
      value += c;
      ++pos_;
    }
    if (pos_ == text_.size()) return filter_error(text_, start, "unterminated string");
    ++pos_;  // the closing quote
    token.kind = FilterTokenKind::kString;
    token.text = std::move(value);
    return Status::ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

bool is_meta_key_char(char c) { return is_word_char(c) || c == '.' || c == '-'; }

Result<std::vector<FilterToken>> lex_filter(std::string_view text) { return Lexer(text).run(); }

}  // namespace pixlake
