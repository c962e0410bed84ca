// `make docs`: writes docs/operators.md (or stdout) from a run of the conformance suite.
#include <cstdio>
#include <fstream>

#include "operator_table.h"
#include "test_data.h"

int main(int argc, char** argv) {
  std::string root = pixlake::testing::data_path("onnx-conformance");
  std::string text = pixlake::testing::operator_table_markdown(root);
  if (argc > 1) {
    std::ofstream(argv[1]) << text;
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return 0;
}
