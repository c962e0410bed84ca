// Reading JSON without a dependency: a small, strict parser (RFC 8259) for request bodies of the
// HTTP server and for tests that check responses. Limits on depth and size keep hostile input
// cheap; errors name the byte offset.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::map<std::string, JsonValue>& members() const { return members_; }

  // The member `key` of an object, or nullptr (also for non-objects).
  const JsonValue* find(const std::string& key) const;

  static JsonValue make_null() { return JsonValue(); }
  static JsonValue make_bool(bool v);
  static JsonValue make_number(double v);
  static JsonValue make_string(std::string v);
  static JsonValue make_array(std::vector<JsonValue> v);
  static JsonValue make_object(std::map<std::string, JsonValue> v);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::map<std::string, JsonValue> members_;  // a repeated key keeps the last value
};

struct JsonLimits {
  int max_depth = 64;
  size_t max_bytes = size_t{64} << 20;
};

// Parses one JSON document (surrounding whitespace allowed). InvalidArgument naming the offset
// and what was expected.
Result<JsonValue> parse_json(std::string_view text, const JsonLimits& limits = {});

}  // namespace pixlake
