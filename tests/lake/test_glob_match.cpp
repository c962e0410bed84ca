#include <gtest/gtest.h>

#include "lake/glob_match.h"

namespace pixlake {
namespace {

TEST(GlobMatch, StarAndQuestionMark) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*", "anything/at/all"));
  EXPECT_TRUE(glob_match("*.jpg", "/photos/cat.jpg"));  // '*' crosses '/'
  EXPECT_FALSE(glob_match("*.jpg", "/photos/cat.jpeg"));
  EXPECT_TRUE(glob_match("c?t", "cat"));
  EXPECT_FALSE(glob_match("c?t", "ct"));
  EXPECT_FALSE(glob_match("c?t", "caat"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(glob_match("**a**", "bab"));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_TRUE(glob_match("", ""));
}

TEST(GlobMatch, IsCaseSensitive) {
  EXPECT_FALSE(glob_match("cat", "Cat"));
  EXPECT_TRUE(glob_match("[cC]at", "Cat"));
}

TEST(GlobMatch, Sets) {
  EXPECT_TRUE(glob_match("[abc]x", "bx"));
  EXPECT_FALSE(glob_match("[abc]x", "dx"));
  EXPECT_TRUE(glob_match("[a-c]", "b"));
  EXPECT_FALSE(glob_match("[a-c]", "d"));
  EXPECT_TRUE(glob_match("[!a-c]", "d"));
  EXPECT_TRUE(glob_match("[^a-c]", "d"));
  EXPECT_FALSE(glob_match("[!a-c]", "a"));
  EXPECT_TRUE(glob_match("[]]", "]"));  // a leading ']' is a member
  EXPECT_TRUE(glob_match("[!]]", "x"));
  EXPECT_FALSE(glob_match("[!]]", "]"));
  EXPECT_TRUE(glob_match("[a-]", "-"));  // a trailing '-' is literal
  EXPECT_TRUE(glob_match("[*]", "*"));   // how to match a literal '*'
  EXPECT_FALSE(glob_match("[*]", "x"));
}

TEST(GlobMatch, UnclosedSetIsLiteral) {
  EXPECT_TRUE(glob_match("a[b", "a[b"));
  EXPECT_EQ(glob_pattern_error("a[b"), 1u);
  EXPECT_EQ(glob_pattern_error("a[b]c[d]"), std::string_view::npos);
  EXPECT_EQ(glob_pattern_error("[]"), 0u);
  EXPECT_EQ(glob_pattern_error("x[]]"), std::string_view::npos);
}

TEST(GlobMatch, CharactersAreUtf8CodePoints) {
  EXPECT_TRUE(glob_match("caf?", "caf\xc3\xa9"));  // café
  EXPECT_FALSE(glob_match("caf??", "caf\xc3\xa9"));
  EXPECT_TRUE(glob_match("[\xc3\xa0-\xc3\xbf]", "\xc3\xa9"));  // [à-ÿ] holds é
  EXPECT_TRUE(glob_match("?", "\xff"));                        // an invalid byte is one character
  EXPECT_TRUE(glob_match("*\xc3\xa9", "\xc3\xa9\xc3\xa9"));
}

TEST(GlobMatch, ManyStarsStayFast) {
  // Backtracking only to the last '*' keeps this quadratic rather than exponential.
  std::string text(3000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
}

}  // namespace
}  // namespace pixlake
