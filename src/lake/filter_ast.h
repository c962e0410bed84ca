// The compiled form of an --where expression. The parser lowers every comparison to "any of
// these tests holds for the field's value", so the evaluator and the SQL writer each handle a
// handful of cases and cannot drift apart on operator meaning.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "lake/filter_fields.h"

namespace pixlake {

using FilterValue = std::variant<int64_t, double, std::string>;

// One test on a single field value.
struct FilterTest {
  enum class Op {
    kEq,
    kLt,
    kLe,
    kGt,
    kGe,
    kGlob,     // value is the pattern
    kInRange,  // value (int64) <= v < upper: a whole day given as 'YYYY-MM-DD'
  };
  Op op = Op::kEq;
  FilterValue value;
  int64_t upper = 0;
};

struct FilterNode {
  enum class Kind {
    kAnd,      // children: 2 or more
    kOr,       // children: 2 or more
    kNot,      // children: 1
    kCompare,  // field, meta_key, negated, tests
    kIsNull,   // field, meta_key; negated means IS NOT NULL
  };
  Kind kind = Kind::kCompare;
  std::vector<FilterNode> children;
  FilterField field = FilterField::kId;
  std::string meta_key;  // field == kMeta
  // kCompare: for a single-valued field "the value exists and passes none of the tests" (!=,
  // NOT IN, !~); for tag/label "no value passes any test". Otherwise "some value passes some".
  bool negated = false;
  std::vector<FilterTest> tests;  // kCompare: several for IN lists
};

}  // namespace pixlake
