// Parser errors: every message names the column and shows a caret; the limits hold.
#include <gtest/gtest.h>

#include "lake/filter.h"
#include "lake/filter_parser.h"

namespace pixlake {
namespace {

std::string parse_error(std::string_view text) {
  auto filter = parse_filter(text);
  EXPECT_FALSE(filter.is_ok()) << "parsed: " << text;
  if (filter.is_ok()) return "";
  EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument);
  return filter.status().message();
}

// The first line of an error message (the rest is the echo and the caret).
std::string headline(std::string_view text) {
  std::string message = parse_error(text);
  return message.substr(0, message.find('\n'));
}

TEST(FilterParser, MissingValueShowsColumnAndCaret) {
  EXPECT_EQ(parse_error("width >= AND"),
            "expected a value after '>=', found 'AND' at column 10\n"
            "  width >= AND\n"
            "           ^");
  Status with_flag = parse_filter("width >= AND").status().with_context("--where");
  EXPECT_EQ(with_flag.message().rfind("--where: expected a value after '>='", 0), 0u);
}

TEST(FilterParser, EmptyAndBlankAreErrors) {
  EXPECT_EQ(headline(""), "empty expression at column 1");
  EXPECT_EQ(headline("   "), "empty expression at column 1");
}

TEST(FilterParser, UnknownFieldListsTheValidOnes) {
  std::string h = headline("widht > 3");
  EXPECT_EQ(h.rfind("unknown field 'widht' at column 1; fields are id, path, name, ext,", 0), 0u)
      << h;
  EXPECT_NE(h.find("label, meta.<key>"), std::string::npos) << h;
  EXPECT_NE(headline("width > 3 AND meta = 'x'").find("'meta' needs a key at column 15"),
            std::string::npos);
  EXPECT_NE(headline("5 = width").find("expected a field name, found '5' at column 1"),
            std::string::npos);
}

TEST(FilterParser, StructureErrors) {
  EXPECT_EQ(headline("width > 3 AND"),
            "expected a field name, found the end of the expression at column 14; fields are "
            "id, path, name, ext, format, hash, size, width, height, pixels, aspect, mtime, taken, "
            "added, camera, lat, lon, tag, label, meta.<key>");
  EXPECT_EQ(
      headline("(width > 3"),
      "expected ')' to close the '(' at column 1, found the end of the expression at column 11");
  EXPECT_EQ(headline("width > 3)"),
            "expected AND, OR or the end of the expression, found ')' at column 10");
  EXPECT_EQ(headline("width > 3 height < 2"),
            "expected AND, OR or the end of the expression, found 'height' at column 11");
  EXPECT_NE(headline("width 3").find("expected an operator after 'width', found '3' at column 7"),
            std::string::npos);
  EXPECT_EQ(headline("id IN 1, 2"), "expected '(' after 'IN', found '1' at column 7");
  EXPECT_EQ(headline("id IN (1 2)"), "expected ',' or ')' in the IN list, found '2' at column 10");
  EXPECT_EQ(headline("id IN ()"), "expected a value after '(', found ')' at column 8");
  EXPECT_EQ(headline("id NOT 3"), "expected IN or GLOB after NOT, found '3' at column 8");
  EXPECT_EQ(headline("taken IS 3"), "expected NULL after IS, found '3' at column 10");
  EXPECT_EQ(headline("taken IS NOT x"), "expected NULL after IS NOT, found 'x' at column 14");
  EXPECT_EQ(headline("taken = NULL"),
            "NULL is not a value at column 9; use IS NULL or IS NOT NULL to test for a missing "
            "value");
  EXPECT_EQ(headline("name LIKE 'a%'"),
            "LIKE is not supported at column 6; use GLOB or ~ with * and ? instead");
  EXPECT_EQ(
      headline("tag = cat"),
      "expected a quoted string after '=', found 'cat' at column 7; quote text values: 'cat'");
}

TEST(FilterParser, TypeErrors) {
  EXPECT_EQ(headline("width = 'abc'"), "width is a number, not text: 'abc' at column 9");
  EXPECT_EQ(headline("taken > 'not a date'"),
            "'not a date' is not a date at column 9; taken takes 'YYYY-MM-DD', "
            "'YYYY-MM-DD HH:MM:SS' (UTC) or unix seconds");
  EXPECT_EQ(headline("taken > '2023-02-30'").rfind("'2023-02-30' is not a date at column 9;", 0),
            0u);
  EXPECT_EQ(headline("mtime < 1.5").rfind("mtime is a date; '1.5' is not at column 9;", 0), 0u);
  EXPECT_EQ(headline("tag = 5"), "tag is text; quote the value: '5' at column 7");
  EXPECT_EQ(headline("meta.rating >= 4"), "meta.rating is text; quote the value: '4' at column 16");
  EXPECT_EQ(headline("width ~ '1*'"),
            "glob matching needs a text field; width is a number at column 7");
  EXPECT_EQ(headline("width IS NULL"),
            "width is never missing, so IS NULL does not apply at column 7; IS NULL applies to "
            "taken, lat, lon, camera, aspect, tag, label and meta.<key>");
  EXPECT_EQ(
      headline("name ~ 'a[b'"),
      "glob pattern has a '[' that is never closed at column 8; match a literal '[' with [[]");
  EXPECT_EQ(headline("id IN (1, 'x')"), "id is a number, not text: 'x' at column 11");
}

TEST(FilterParser, KeywordsAndFieldsAreCaseInsensitive) {
  EXPECT_TRUE(
      parse_filter("WIDTH > 3 and Height < 4 Or NOT tag In ('a') AND taken is not null").is_ok());
  EXPECT_TRUE(parse_filter("name glob '*.jpg' AND name NoT GlOb 'x*'").is_ok());
}

TEST(FilterParser, LengthLimit) {
  std::string at_limit = "id = 1";
  while (at_limit.size() + 10 <= kMaxFilterLength) at_limit += " OR id = 1";
  at_limit += std::string(kMaxFilterLength - at_limit.size(), ' ');
  ASSERT_EQ(at_limit.size(), kMaxFilterLength);
  EXPECT_TRUE(parse_filter(at_limit).is_ok());
  std::string message = parse_error(at_limit + " ");
  EXPECT_EQ(message, "expression is 4097 bytes long; the limit is 4096");
}

TEST(FilterParser, NestingLimitWithoutStackOverflow) {
  auto nested = [](int depth) {
    return std::string(depth, '(') + "id = 1" + std::string(depth, ')');
  };
  EXPECT_TRUE(parse_filter(nested(kMaxFilterDepth)).is_ok());
  EXPECT_EQ(headline(nested(kMaxFilterDepth + 1)),
            "expression nests deeper than 64 levels of parentheses and NOT at column 65");
  // Far deeper than the limit, within the length limit: refused, not a crash.
  EXPECT_NE(parse_error(std::string(4000, '(')).find("nests deeper than 64"), std::string::npos);
  std::string nots;
  for (int k = 0; k < 1000; ++k) nots += "NOT ";
  EXPECT_NE(parse_error(nots + "id = 1").find("nests deeper than 64"), std::string::npos);
  // Long flat chains are not nesting.
  std::string chain = "id = 0";
  for (int k = 1; k < 200; ++k) chain += " AND NOT id = " + std::to_string(k);
  EXPECT_TRUE(parse_filter(chain).is_ok());
}

}  // namespace
}  // namespace pixlake
