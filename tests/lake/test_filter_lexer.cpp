#include <gtest/gtest.h>

#include "lake/filter_lexer.h"

namespace pixlake {
namespace {

using K = FilterTokenKind;

std::vector<FilterToken> lex_ok(std::string_view text) {
  auto tokens = lex_filter(text);
  EXPECT_TRUE(tokens.is_ok()) << tokens.status().message();
  return tokens.is_ok() ? tokens.value() : std::vector<FilterToken>{};
}

std::string lex_error(std::string_view text) {
  auto tokens = lex_filter(text);
  EXPECT_FALSE(tokens.is_ok()) << text;
  if (tokens.is_ok()) return "";
  EXPECT_EQ(tokens.status().code(), StatusCode::kInvalidArgument);
  return tokens.status().message();
}

TEST(FilterLexer, OperatorsAndPunctuation) {
  auto tokens = lex_ok("( ) , = == != <> < <= > >= ~ !~");
  std::vector<K> kinds;
  for (const auto& t : tokens) kinds.push_back(t.kind);
  EXPECT_EQ(kinds,
            (std::vector<K>{K::kLParen, K::kRParen, K::kComma, K::kEq, K::kEq, K::kNe, K::kNe,
                            K::kLt, K::kLe, K::kGt, K::kGe, K::kGlob, K::kNotGlob, K::kEnd}));
  EXPECT_EQ(tokens[5].offset, 11u);
  EXPECT_EQ(tokens[5].raw, "!=");
}

TEST(FilterLexer, WordsAndMetaFields) {
  auto tokens = lex_ok("Width AND meta.Camera_Body.x-1=");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].kind, K::kWord);
  EXPECT_EQ(tokens[0].text, "Width");
  EXPECT_EQ(tokens[2].kind, K::kMetaField);
  EXPECT_EQ(tokens[2].text, "Camera_Body.x-1");  // key case is kept
  EXPECT_EQ(tokens[3].kind, K::kEq);
  EXPECT_EQ(lex_ok("META.k")[0].kind, K::kMetaField);
}

TEST(FilterLexer, Strings) {
  auto tokens = lex_ok(R"('it\'s' "say \"hi\"" 'back\\slash' '' )"
                       "\"caf\xc3\xa9\"");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[1].text, "say \"hi\"");
  EXPECT_EQ(tokens[2].text, "back\\slash");
  EXPECT_EQ(tokens[3].text, "");
  EXPECT_EQ(tokens[4].text, "caf\xc3\xa9");
  EXPECT_EQ(tokens[0].raw, R"('it\'s')");
}

TEST(FilterLexer, Numbers) {
  auto tokens = lex_ok("42 -7 2.5 -0.25 10KB 5mb 1GB 1.5MB 0.3KB 9223372036854775807");
  ASSERT_EQ(tokens.size(), 11u);
  EXPECT_EQ(tokens[0].kind, K::kInteger);
  EXPECT_EQ(tokens[0].integer, 42);
  EXPECT_EQ(tokens[1].integer, -7);
  EXPECT_EQ(tokens[2].kind, K::kDecimal);
  EXPECT_EQ(tokens[2].decimal, 2.5);
  EXPECT_EQ(tokens[3].decimal, -0.25);
  EXPECT_EQ(tokens[4].integer, 10 * 1024);
  EXPECT_EQ(tokens[5].integer, 5 * 1024 * 1024);
  EXPECT_EQ(tokens[6].integer, int64_t{1} << 30);
  EXPECT_EQ(tokens[7].kind, K::kInteger);  // a whole number of bytes
  EXPECT_EQ(tokens[7].integer, 1536 * 1024);
  EXPECT_EQ(tokens[8].kind, K::kDecimal);
  EXPECT_DOUBLE_EQ(tokens[8].decimal, 0.3 * 1024);
  EXPECT_EQ(tokens[9].integer, INT64_MAX);
}

TEST(FilterLexer, Errors) {
  EXPECT_EQ(lex_error("name = 'abc"), "unterminated string at column 8\n  name = 'abc\n         ^");
  EXPECT_NE(lex_error(R"(name = 'a\nb')").find("unknown escape in string at column 10"),
            std::string::npos);
  EXPECT_NE(lex_error("width > 3 @").find("unexpected character '@' at column 11"),
            std::string::npos);
  EXPECT_NE(lex_error("width > 3 & 4").find("unexpected character '&'"), std::string::npos);
  EXPECT_NE(lex_error("size > 10XB").find("unknown suffix 'XB' after a number at column 10"),
            std::string::npos);
  EXPECT_NE(lex_error("id = 9223372036854775808").find("out of range"), std::string::npos);
  EXPECT_NE(lex_error("size < 99999999999TB").find("out of range"), std::string::npos);
  EXPECT_NE(lex_error("meta. = 'x'").find("expected a key after 'meta.'"), std::string::npos);
  EXPECT_NE(lex_error(std::string_view("id = 1\0", 7)).find("NUL byte at column 7"),
            std::string::npos);
  EXPECT_NE(lex_error(std::string_view("name = 'a\0'", 11)).find("NUL byte at column 10"),
            std::string::npos);
}

TEST(FilterLexer, ColumnsCountCharactersNotBytes) {
  // 'é' is two bytes but one column, so the caret still sits under the '@'.
  EXPECT_EQ(lex_error("name = '\xc3\xa9' @"),
            "unexpected character '@' at column 12\n  name = '\xc3\xa9' @\n             ^");
}

}  // namespace
}  // namespace pixlake
