#include <gtest/gtest.h>

#include "operator_table.h"
#include "run_command.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

TEST(SlowOperatorTable, IsUpToDate) {
  PIXLAKE_REQUIRE_DATA("onnx-conformance");
  std::string fresh = operator_table_markdown(data_path("onnx-conformance"));
  std::string committed = read_text(std::string(PIXLAKE_SOURCE_DIR) + "/docs/operators.md");
  EXPECT_EQ(committed, fresh) << "docs/operators.md is stale: run `make docs`";
}

}  // namespace
}  // namespace pixlake::testing
