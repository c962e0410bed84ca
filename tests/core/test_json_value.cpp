// The JSON reader used for request bodies: valid documents, escapes, and hostile input.
#include <gtest/gtest.h>

#include "core/json_value.h"

namespace pixlake {
namespace {

TEST(JsonValue, ParsesDocuments) {
  auto v = parse_json(R"( {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "a2": 0} )");
  ASSERT_TRUE(v.is_ok()) << v.status().message();
  const JsonValue* a = v->find("a");
  ASSERT_TRUE(a && a->is_array());
  ASSERT_EQ(a->items().size(), 5u);
  EXPECT_EQ(a->items()[0].as_number(), 1);
  EXPECT_EQ(a->items()[1].as_number(), -2500);
  EXPECT_TRUE(a->items()[2].as_bool());
  EXPECT_TRUE(a->items()[4].is_null());
  EXPECT_EQ(v->find("b")->find("c")->as_string(), "d");
  EXPECT_EQ(v->find("missing"), nullptr);
  EXPECT_EQ(a->find("x"), nullptr);
}

TEST(JsonValue, DecodesEscapes) {
  auto v = parse_json(R"("q\" b\\ s\/ n\n t\t u\u00e9 pair\ud83d\ude00")");
  ASSERT_TRUE(v.is_ok()) << v.status().message();
  EXPECT_EQ(v->as_string(), "q\" b\\ s/ n\n t\t u\xc3\xa9 pair\xf0\x9f\x98\x80");
}

TEST(JsonValue, RejectsMalformedInputNamingTheOffset) {
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru",
                           "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"\\udc00\"",
                           "[1] 2", "{a:1}", "\"tab\there\"", "1e999", "nul"}) {
    auto v = parse_json(text);
    EXPECT_FALSE(v.is_ok()) << text;
    if (!v.is_ok()) {
      EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(v.status().message().find("json:"), std::string::npos);
    }
  }
  auto at = parse_json("[1, x]");
  EXPECT_NE(at.status().message().find("offset 4"), std::string::npos) << at.status().message();
}

TEST(JsonValue, LimitsDepthAndSize) {
  std::string deep(100000, '[');
  auto v = parse_json(deep);
  ASSERT_FALSE(v.is_ok());
  EXPECT_NE(v.status().message().find("nesting"), std::string::npos);
  EXPECT_TRUE(parse_json("[[[1]]]", JsonLimits{.max_depth = 3}).is_ok());
  EXPECT_FALSE(parse_json("[[[[1]]]]", JsonLimits{.max_depth = 3}).is_ok());
  EXPECT_FALSE(parse_json("[1, 2, 3]", JsonLimits{.max_bytes = 4}).is_ok());
}

}  // namespace
}  // namespace pixlake
