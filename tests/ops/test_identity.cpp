#include "data_movement_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Identity, PassesAnyDtypeThrough) {
  auto out = run_ok({.op_type = "Identity", .inputs = {iota<int8_t>({2, 3})}});
  expect_tensor<int8_t>(out[0], {2, 3}, {0, 1, 2, 3, 4, 5});
}

TEST(Identity, RefusesMissingInput) {
  EXPECT_NE(run_error({.op_type = "Identity", .inputs = {Tensor()}}).find("missing"),
            std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
