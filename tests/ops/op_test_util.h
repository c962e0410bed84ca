// Runs one operator outside any graph, for operator unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ops/registry.h"

namespace pixlake::testing {

struct OpRun {
  std::string op_type;
  Attributes attrs;
  std::vector<Tensor> inputs;  // an undefined Tensor() stands for an omitted optional input
  size_t n_outputs = 1;
  int opset = 13;
  int64_t max_tensor_bytes = OpSetup{}.max_tensor_bytes;
};

// Creates, configures and runs the operator; returns its outputs or the first error.
inline Result<std::vector<Tensor>> run_op(const OpRun& run) {
  auto type = op_type_from_name(run.op_type);
  if (!type) return unsupported("no operator " + run.op_type);
  std::unique_ptr<Op> op = make_op(*type);
  OpSetup setup;
  setup.node_name = "test";
  setup.op_type = run.op_type;
  setup.opset = run.opset;
  setup.max_tensor_bytes = run.max_tensor_bytes;
  setup.attrs = run.attrs;
  setup.n_inputs = run.inputs.size();
  setup.n_outputs = run.n_outputs;
  for (const Tensor& t : run.inputs) setup.constants.push_back(t.defined() ? &t : nullptr);
  PIXLAKE_RETURN_IF_ERROR(op->init(setup));
  if (!setup.attrs.error().empty()) return invalid_argument(setup.attrs.error());
  std::vector<const Tensor*> in;
  for (const Tensor& t : run.inputs) in.push_back(t.defined() ? &t : nullptr);
  std::vector<Tensor> out(run.n_outputs);
  PIXLAKE_RETURN_IF_ERROR(op->run(in, out));
  return out;
}

// Element-wise comparison with the ONNX suite's default tolerances.
inline void expect_close(const Tensor& actual, const Tensor& expected, float rtol = 1e-5f,
                         float atol = 1e-6f) {
  ASSERT_EQ(shape_to_string(actual.shape()), shape_to_string(expected.shape()));
  std::vector<float> a = actual.to_floats();
  std::vector<float> e = expected.to_floats();
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], e[i], atol + rtol * std::abs(e[i])) << "at element " << i;
  }
}

}  // namespace pixlake::testing
