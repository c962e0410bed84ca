// The ONNX backend test suite's cases under $PIXLAKE_DATA/onnx-conformance: discovery, running
// one case, and the outcome. Shared by the conformance test and the docs/operators.md generator.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace pixlake::testing {

struct ConformanceCase {
  std::string name;   // "pytorch-converted/test_Conv2d" or "light/light_resnet50"
  std::string model;  // path of the .onnx file
  std::vector<std::string> input_files;  // empty for light networks (input is generated)
  std::vector<std::string> output_files;
  bool whole_network = false;
  float rtol = 1e-3f;
  float atol = 1e-7f;
};

enum class Outcome { kPass, kFail, kUnsupported };
inline void PrintTo(Outcome o, std::ostream* os) {
  *os << (o == Outcome::kPass ? "pass" : o == Outcome::kFail ? "fail" : "unsupported");
}

struct CaseResult {
  Outcome outcome = Outcome::kFail;
  std::string detail;                 // why it failed or is unsupported; max error when it passed
  std::vector<std::string> op_types;  // operators the model uses
};

// gtest prints parameters with this instead of a byte dump.
inline void PrintTo(const ConformanceCase& c, std::ostream* os) { *os << c.name; }

std::vector<ConformanceCase> discover_conformance_cases(const std::string& root);
CaseResult run_conformance_case(const ConformanceCase& c);

}  // namespace pixlake::testing
