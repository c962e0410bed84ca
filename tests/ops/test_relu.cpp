#include "op_test_util.h"

namespace pixlake::testing {
namespace {

TEST(Relu, ClampsNegativesToZero) {
  OpRun run{.op_type = "Relu",
            .inputs = {Tensor::from_vector<float>({2, 3}, {-2, -0.5f, 0, 0.5f, 1, 3})}};
  auto out = run_op(run);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  expect_close(out.value()[0], Tensor::from_vector<float>({2, 3}, {0, 0, 0, 0.5f, 1, 3}));
}

TEST(Relu, RefusesIntegerInput) {
  OpRun run{.op_type = "Relu", .inputs = {Tensor::from_vector<int64_t>({2}, {-1, 1})}};
  auto out = run_op(run);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("input X must be f32"), std::string::npos);
}

}  // namespace
}  // namespace pixlake::testing
