#include "core/json_value.h"

#include <cmath>
#include <cstdlib>

namespace pixlake {

const JsonValue* JsonValue::find(const std::string& key) const {
  if (type_ != Type::kObject) return nullptr;
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

JsonValue JsonValue::make_bool(bool v) {
  JsonValue j;
  j.type_ = Type::kBool;
  j.bool_ = v;
  return j;
}
JsonValue JsonValue::make_number(double v) {
  JsonValue j;
  j.type_ = Type::kNumber;
  j.number_ = v;
  return j;
}
JsonValue JsonValue::make_string(std::string v) {
  JsonValue j;
  j.type_ = Type::kString;
  j.string_ = std::move(v);
  return j;
}
JsonValue JsonValue::make_array(std::vector<JsonValue> v) {
  JsonValue j;
  j.type_ = Type::kArray;
  j.items_ = std::move(v);
  return j;
}
JsonValue JsonValue::make_object(std::map<std::string, JsonValue> v) {
  JsonValue j;
  j.type_ = Type::kObject;
  j.members_ = std::move(v);
  return j;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Result<JsonValue> document() {
    if (text_.size() > limits_.max_bytes) {
      return invalid_argument("json: document of " + std::to_string(text_.size()) +
                              " bytes is over the limit of " + std::to_string(limits_.max_bytes));
    }
    PIXLAKE_ASSIGN_OR_RETURN(JsonValue v, value(0));
    skip_space();
    if (pos_ != text_.size()) return error("end of document");
    return v;
  }

 private:
  Status error(const std::string& expected) const {
    return invalid_argument("json: expected " + expected + " at offset " + std::to_string(pos_));
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Result<JsonValue> value(int depth) {
    if (depth > limits_.max_depth) {
      return invalid_argument("json: nesting deeper than " + std::to_string(limits_.max_depth) +
                              " at offset " + std::to_string(pos_));
    }
    skip_space();
    if (pos_ >= text_.size()) return error("a value");
    char c = text_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      PIXLAKE_ASSIGN_OR_RETURN(std::string s, string());
      return JsonValue::make_string(std::move(s));
    }
    if (literal("true")) return JsonValue::make_bool(true);
    if (literal("false")) return JsonValue::make_bool(false);
    if (literal("null")) return JsonValue::make_null();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    return error("a value");
  }

  Result<JsonValue> number() {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return error("digits");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return error("digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return error("exponent digits");
    }
    std::string copy(text_.substr(start, pos_ - start));
    double v = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(v)) {
      pos_ = start;
      return error("a finite number");
    }
    return JsonValue::make_number(v);
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<uint32_t> hex4() {
    if (pos_ + 4 > text_.size()) return error("four hex digits");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        --pos_;
        return error("a hex digit");
      }
    }
    return v;
  }

  Result<std::string> string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return error("'\"' closing the string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) return error("no control character in a string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return error("an escape");
      char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          PIXLAKE_ASSIGN_OR_RETURN(uint32_t cp, hex4());
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!literal("\\u")) return error("a low surrogate");
            PIXLAKE_ASSIGN_OR_RETURN(uint32_t low, hex4());
            if (low < 0xDC00 || low >= 0xE000) return error("a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return error("a high surrogate before a low one");
          }
          append_utf8(out, cp);
          break;
        }
        default: --pos_; return error("a valid escape");
      }
    }
  }

  Result<JsonValue> array(int depth) {
    ++pos_;
    std::vector<JsonValue> items;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return JsonValue::make_array(std::move(items));
    }
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(JsonValue v, value(depth + 1));
      items.push_back(std::move(v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return JsonValue::make_array(std::move(items));
      }
      return error("',' or ']'");
    }
  }

  Result<JsonValue> object(int depth) {
    ++pos_;
    std::map<std::string, JsonValue> members;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return JsonValue::make_object(std::move(members));
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return error("a member name");
      PIXLAKE_ASSIGN_OR_RETURN(std::string key, string());
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return error("':'");
      ++pos_;
      PIXLAKE_ASSIGN_OR_RETURN(JsonValue v, value(depth + 1));
      members[key] = std::move(v);
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return JsonValue::make_object(std::move(members));
      }
      return error("',' or '}'");
    }
  }

  std::string_view text_;
  JsonLimits limits_;
  size_t pos_ = 0;
};

}  // namespace

Result<JsonValue> parse_json(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).document();
}

}  // namespace pixlake
