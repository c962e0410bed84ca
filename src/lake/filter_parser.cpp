#include "lake/filter_parser.h"

#include <utility>

#include "lake/filter_date.h"
#include "lake/filter_error.h"
#include "lake/filter_lexer.h"
#include "lake/glob_match.h"

namespace pixlake {
namespace {

using K = FilterTokenKind;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_keyword(const FilterToken& token, std::string_view lowercase) {
  if (token.kind != K::kWord || token.text.size() != lowercase.size()) return false;
  for (size_t k = 0; k < lowercase.size(); ++k) {
    if (lower(token.text[k]) != lowercase[k]) return false;
  }
  return true;
}

bool is_any_keyword(const FilterToken& token) {
  for (std::string_view word : {"and", "or", "not", "in", "is", "null", "glob", "like"}) {
    if (is_keyword(token, word)) return true;
  }
  return false;
}

const char* type_phrase(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
    case FieldType::kReal: return "a number";
    case FieldType::kDate: return "a date";
    case FieldType::kText: return "a quoted string";
  }
  return "a value";
}

// The comparison an operator token asks for, before date literals are lowered.
enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

// A literal after type checking; a date-only literal keeps the end of its day.
struct Literal {
  FilterValue value;
  bool whole_day = false;
  int64_t day_end = 0;
};

class Parser {
 public:
  Parser(std::string_view text, std::vector<FilterToken> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  Result<FilterNode> parse() {
    if (peek().kind == K::kEnd) return filter_error(text_, 0, "empty expression");
    PIXLAKE_ASSIGN_OR_RETURN(FilterNode root, parse_or(0));
    if (peek().kind != K::kEnd) {
      return error_here("expected AND, OR or the end of the expression, found " + shown(peek()));
    }
    return root;
  }

 private:
  const FilterToken& peek() const { return tokens_[pos_]; }
  const FilterToken& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Status error_at(const FilterToken& token, const std::string& what,
                  const std::string& detail = "") const {
    return filter_error(text_, token.offset, what, detail);
  }
  Status error_here(const std::string& what, const std::string& detail = "") const {
    return error_at(peek(), what, detail);
  }
  static std::string shown(const FilterToken& token) {
    if (token.kind == K::kEnd) return "the end of the expression";
    if (token.kind == K::kString) return quote_for_message(token.raw);  // already quoted
    return "'" + quote_for_message(token.raw) + "'";
  }

  Status check_depth(int depth) const {
    if (depth <= kMaxFilterDepth) return Status::ok();
    return error_here("expression nests deeper than " + std::to_string(kMaxFilterDepth) +
                      " levels of parentheses and NOT");
  }

  // Builds an AND / OR node from one or more operands.
  static FilterNode combine(FilterNode::Kind kind, std::vector<FilterNode> operands) {
    if (operands.size() == 1) return std::move(operands[0]);
    FilterNode node;
    node.kind = kind;
    node.children = std::move(operands);
    return node;
  }

  Result<FilterNode> parse_or(int depth) {
    std::vector<FilterNode> operands;
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(FilterNode operand, parse_and(depth));
      operands.push_back(std::move(operand));
      if (!is_keyword(peek(), "or")) break;
      advance();
    }
    return combine(FilterNode::Kind::kOr, std::move(operands));
  }

  Result<FilterNode> parse_and(int depth) {
    std::vector<FilterNode> operands;
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(FilterNode operand, parse_not(depth));
      operands.push_back(std::move(operand));
      if (!is_keyword(peek(), "and")) break;
      advance();
    }
    return combine(FilterNode::Kind::kAnd, std::move(operands));
  }

  Result<FilterNode> parse_not(int depth) {
    if (!is_keyword(peek(), "not")) return parse_primary(depth);
    PIXLAKE_RETURN_IF_ERROR(check_depth(depth + 1));
    advance();
    PIXLAKE_ASSIGN_OR_RETURN(FilterNode operand, parse_not(depth + 1));
    FilterNode node;
    node.kind = FilterNode::Kind::kNot;
    node.children.push_back(std::move(operand));
    return node;
  }

  Result<FilterNode> parse_primary(int depth) {
    if (peek().kind != K::kLParen) return parse_predicate();
    PIXLAKE_RETURN_IF_ERROR(check_depth(depth + 1));
    const FilterToken& open = advance();
    PIXLAKE_ASSIGN_OR_RETURN(FilterNode inner, parse_or(depth + 1));
    if (peek().kind != K::kRParen) {
      return error_here("expected ')' to close the '(' at column " + column_of(open) + ", found " +
                        shown(peek()));
    }
    advance();
    return inner;
  }

  std::string column_of(const FilterToken& token) const {
    size_t column = 1;
    for (size_t k = 0; k < token.offset; ++k) {
      if ((static_cast<unsigned char>(text_[k]) & 0xC0) != 0x80) ++column;
    }
    return std::to_string(column);
  }

  Result<FilterNode> parse_predicate() {
    const FilterToken& name = peek();
    FilterNode node;
    if (name.kind == K::kMetaField) {
      node.field = FilterField::kMeta;
      node.meta_key = name.text;
    } else if (name.kind == K::kWord && !is_any_keyword(name)) {
      if (is_keyword(name, "meta")) {
        return error_here("'meta' needs a key", "write meta.<key>, e.g. meta.rating");
      }
      auto field = find_field(name.text);
      if (!field) {
        return error_here("unknown field " + shown(name), "fields are " + list_field_names());
      }
      node.field = *field;
    } else {
      return error_here("expected a field name, found " + shown(name),
                        "fields are " + list_field_names());
    }
    advance();
    const FieldInfo& info = field_info(node.field);
    const FilterToken& op = peek();
    switch (op.kind) {
      case K::kEq: return parse_comparison(std::move(node), Cmp::kEq);
      case K::kNe: return parse_comparison(std::move(node), Cmp::kNe);
      case K::kLt: return parse_comparison(std::move(node), Cmp::kLt);
      case K::kLe: return parse_comparison(std::move(node), Cmp::kLe);
      case K::kGt: return parse_comparison(std::move(node), Cmp::kGt);
      case K::kGe: return parse_comparison(std::move(node), Cmp::kGe);
      case K::kGlob: return parse_glob(std::move(node), false);
      case K::kNotGlob: return parse_glob(std::move(node), true);
      default: break;
    }
    if (is_keyword(op, "glob")) return parse_glob(std::move(node), false);
    if (is_keyword(op, "in")) return parse_in(std::move(node), false);
    if (is_keyword(op, "like")) return like_error();
    if (is_keyword(op, "not")) {
      advance();
      if (is_keyword(peek(), "in")) return parse_in(std::move(node), true);
      if (is_keyword(peek(), "glob")) return parse_glob(std::move(node), true);
      if (is_keyword(peek(), "like")) return like_error();
      return error_here("expected IN or GLOB after NOT, found " + shown(peek()));
    }
    if (is_keyword(op, "is")) {
      advance();
      node.kind = FilterNode::Kind::kIsNull;
      if (is_keyword(peek(), "not")) {
        node.negated = true;
        advance();
      }
      if (!is_keyword(peek(), "null")) {
        return error_here("expected NULL after IS" + std::string(node.negated ? " NOT" : "") +
                          ", found " + shown(peek()));
      }
      if (!info.nullable) {
        return error_at(
            op, std::string(info.name) + " is never missing, so IS NULL does not apply",
            "IS NULL applies to taken, lat, lon, camera, aspect, tag, label and meta.<key>");
      }
      advance();
      return node;
    }
    return error_here("expected an operator after " + shown(name) + ", found " + shown(op),
                      "operators are = != < <= > >= ~ !~ GLOB IN NOT IN IS NULL IS NOT NULL");
  }

  Status like_error() const {
    return error_here("LIKE is not supported", "use GLOB or ~ with * and ? instead");
  }

  // Reads one literal for a field of the given node and checks its type.
  Result<Literal> parse_literal(const FilterNode& node, const FilterToken& after) {
    const FieldInfo& info = field_info(node.field);
    const FilterToken& token = peek();
    std::string field_name = node.field == FilterField::kMeta ? "meta." + node.meta_key : info.name;
    Literal literal;
    switch (token.kind) {
      case K::kString:
        if (info.type == FieldType::kText) {
          literal.value = token.text;
        } else if (info.type == FieldType::kDate) {
          auto date = parse_date_literal(token.text);
          if (!date) {
            return error_here(
                shown(token) + " is not a date",
                field_name + " takes 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' (UTC) or unix seconds");
          }
          literal.value = date->seconds;
          literal.whole_day = date->whole_day;
          literal.day_end = date->seconds + 86400;
        } else {
          return error_here(field_name + " is a number, not text: " + shown(token));
        }
        break;
      case K::kInteger:
      case K::kDecimal:
        if (info.type == FieldType::kText) {
          return error_here(field_name + " is text; quote the value: '" +
                            quote_for_message(token.raw) + "'");
        }
        if (info.type == FieldType::kDate && token.kind == K::kDecimal) {
          return error_here(
              field_name + " is a date; " + shown(token) + " is not",
              "dates are 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' (UTC) or whole unix seconds");
        }
        if (token.kind == K::kInteger) {
          literal.value = token.integer;
        } else {
          literal.value = token.decimal;
        }
        break;
      default:
        if (is_keyword(token, "null")) {
          return error_here("NULL is not a value",
                            "use IS NULL or IS NOT NULL to test for a missing value");
        }
        if (token.kind == K::kWord && !is_any_keyword(token) && info.type == FieldType::kText) {
          return error_here("expected " + std::string(type_phrase(info.type)) + " after " +
                                shown(after) + ", found " + shown(token),
                            "quote text values: '" + quote_for_message(token.raw) + "'");
        }
        return error_here("expected a value after " + shown(after) + ", found " + shown(token));
    }
    advance();
    return literal;
  }

  // The tests that `field <cmp> literal` stands for. A whole-day date is the range
  // [day, day + 86400): `= day` is inside it, `< day` before it, `<= day` before its end, ...
  static FilterTest lower_comparison(Cmp cmp, const Literal& literal) {
    using Op = FilterTest::Op;
    FilterTest test;
    test.value = literal.value;
    if (literal.whole_day) {
      int64_t start = std::get<int64_t>(literal.value);
      switch (cmp) {
        case Cmp::kEq:
        case Cmp::kNe:
          test.op = Op::kInRange;
          test.upper = literal.day_end;
          return test;
        case Cmp::kLt:
          test.op = Op::kLt;
          test.value = start;
          return test;
        case Cmp::kLe:
          test.op = Op::kLt;
          test.value = literal.day_end;
          return test;
        case Cmp::kGt:
          test.op = Op::kGe;
          test.value = literal.day_end;
          return test;
        case Cmp::kGe:
          test.op = Op::kGe;
          test.value = start;
          return test;
      }
    }
    switch (cmp) {
      case Cmp::kEq:
      case Cmp::kNe: test.op = Op::kEq; break;
      case Cmp::kLt: test.op = Op::kLt; break;
      case Cmp::kLe: test.op = Op::kLe; break;
      case Cmp::kGt: test.op = Op::kGt; break;
      case Cmp::kGe: test.op = Op::kGe; break;
    }
    return test;
  }

  Result<FilterNode> parse_comparison(FilterNode node, Cmp cmp) {
    const FilterToken& op = advance();
    PIXLAKE_ASSIGN_OR_RETURN(Literal literal, parse_literal(node, op));
    node.kind = FilterNode::Kind::kCompare;
    node.negated = cmp == Cmp::kNe;
    node.tests.push_back(lower_comparison(cmp, literal));
    return node;
  }

  Result<FilterNode> parse_glob(FilterNode node, bool negated) {
    const FilterToken& op = advance();
    const FieldInfo& info = field_info(node.field);
    if (info.type != FieldType::kText) {
      return error_at(op, "glob matching needs a text field; " + std::string(info.name) + " is " +
                              type_phrase(info.type));
    }
    const FilterToken& pattern = peek();
    PIXLAKE_ASSIGN_OR_RETURN(Literal literal, parse_literal(node, op));
    size_t bad = glob_pattern_error(std::get<std::string>(literal.value));
    if (bad != std::string_view::npos) {
      return error_at(pattern, "glob pattern has a '[' that is never closed",
                      "match a literal '[' with [[]");
    }
    node.kind = FilterNode::Kind::kCompare;
    node.negated = negated;
    node.tests.push_back({FilterTest::Op::kGlob, std::move(literal.value), 0});
    return node;
  }

  Result<FilterNode> parse_in(FilterNode node, bool negated) {
    const FilterToken& in = advance();
    if (peek().kind != K::kLParen)
      return error_here("expected '(' after " + shown(in) + ", found " + shown(peek()));
    const FilterToken* after = &advance();
    node.kind = FilterNode::Kind::kCompare;
    node.negated = negated;
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(Literal literal, parse_literal(node, *after));
      node.tests.push_back(lower_comparison(Cmp::kEq, literal));
      if (peek().kind == K::kRParen) break;
      if (peek().kind != K::kComma) {
        return error_here("expected ',' or ')' in the IN list, found " + shown(peek()));
      }
      after = &advance();
    }
    advance();
    return node;
  }

  std::string_view text_;
  std::vector<FilterToken> tokens_;
  size_t pos_ = 0;
};

}  // namespace

Result<FilterNode> parse_filter_tree(std::string_view text) {
  if (text.size() > kMaxFilterLength) {
    return invalid_argument("expression is " + std::to_string(text.size()) +
                            " bytes long; the limit is " + std::to_string(kMaxFilterLength));
  }
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<FilterToken> tokens, lex_filter(text));
  return Parser(text, std::move(tokens)).parse();
}

}  // namespace pixlake
