// Runs every case of the ONNX backend test suite found under $PIXLAKE_DATA/onnx-conformance.
// A case passes when every output is within the suite's tolerances. Cases that use an
// operator outside pixlake's scope must be listed in kOutOfScope (and appear in
// docs/operators.md); any other unsupported case fails, so a regression cannot hide as a skip.
#include <gtest/gtest.h>

#include <set>

#include "conformance.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

// Cases whose operators pixlake does not implement, with the reason.
const std::set<std::string> kOutOfScope = {};

std::vector<ConformanceCase> all_cases() {
  auto cases = discover_conformance_cases(data_path("onnx-conformance"));
  if (cases.empty()) cases.push_back(ConformanceCase{.name = "absent"});
  return cases;
}

std::string test_name(const ::testing::TestParamInfo<ConformanceCase>& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

void check_case(const ConformanceCase& c) {
  PIXLAKE_REQUIRE_DATA("onnx-conformance");
  CaseResult r = run_conformance_case(c);
  if (kOutOfScope.count(c.name)) {
    EXPECT_EQ(r.outcome, Outcome::kUnsupported)
        << c.name << " is listed as out of scope but did not report unsupported: " << r.detail;
    return;
  }
  EXPECT_EQ(r.outcome, Outcome::kPass) << c.name << ": " << r.detail;
}

class Conformance : public ::testing::TestWithParam<ConformanceCase> {};
TEST_P(Conformance, MatchesReferenceOutputs) { check_case(GetParam()); }

// Whole networks take seconds each: labelled slow, so the sanitizer run skips them.
class SlowConformance : public ::testing::TestWithParam<ConformanceCase> {};
TEST_P(SlowConformance, MatchesReferenceOutputs) { check_case(GetParam()); }

std::vector<ConformanceCase> operator_cases() {
  std::vector<ConformanceCase> out;
  for (auto& c : all_cases()) {
    if (!c.whole_network) out.push_back(c);
  }
  return out;
}

std::vector<ConformanceCase> network_cases() {
  std::vector<ConformanceCase> out;
  for (auto& c : all_cases()) {
    if (c.whole_network) out.push_back(c);
  }
  if (out.empty()) out.push_back(ConformanceCase{.name = "absent", .whole_network = true});
  return out;
}

INSTANTIATE_TEST_SUITE_P(Onnx, Conformance, ::testing::ValuesIn(operator_cases()), test_name);
INSTANTIATE_TEST_SUITE_P(Onnx, SlowConformance, ::testing::ValuesIn(network_cases()), test_name);

}  // namespace
}  // namespace pixlake::testing
