// Builds the markdown of docs/operators.md from a run of the ONNX conformance suite.
#pragma once

#include <string>

namespace pixlake::testing {

std::string operator_table_markdown(const std::string& conformance_root);

}  // namespace pixlake::testing
