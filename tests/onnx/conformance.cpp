#include "conformance.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "onnx/tensor_proto.h"
#include "pixlake/engine.h"

namespace pixlake::testing {
namespace fs = std::filesystem;

std::vector<ConformanceCase> discover_conformance_cases(const std::string& root) {
  std::vector<ConformanceCase> cases;
  for (const char* suite : {"pytorch-converted", "pytorch-operator"}) {
    fs::path dir = fs::path(root) / suite;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      ConformanceCase c;
      c.name = std::string(suite) + "/" + entry.path().filename().string();
      c.model = (entry.path() / "model.onnx").string();
      fs::path data = entry.path() / "test_data_set_0";
      for (int i = 0; fs::exists(data / ("input_" + std::to_string(i) + ".pb")); ++i) {
        c.input_files.push_back((data / ("input_" + std::to_string(i) + ".pb")).string());
      }
      for (int i = 0; fs::exists(data / ("output_" + std::to_string(i) + ".pb")); ++i) {
        c.output_files.push_back((data / ("output_" + std::to_string(i) + ".pb")).string());
      }
      cases.push_back(std::move(c));
    }
  }
  fs::path light = fs::path(root) / "light";
  if (fs::is_directory(light)) {
    for (const auto& entry : fs::directory_iterator(light)) {
      if (entry.path().extension() != ".onnx") continue;
      ConformanceCase c;
      std::string stem = entry.path().stem().string();
      c.name = "light/" + stem;
      c.model = entry.path().string();
      c.output_files.push_back((light / (stem + "_output_0.pb")).string());
      c.whole_network = true;
      if (stem.find("densenet") != std::string::npos) c.rtol = 2e-3f;
      cases.push_back(std::move(c));
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

namespace {

std::vector<std::string> model_op_types(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  std::set<std::string> ops;
  if (model.ParseFromIstream(&in)) {
    for (const auto& node : model.graph().node()) ops.insert(node.op_type());
  }
  return {ops.begin(), ops.end()};
}

// The light networks' input: arange(n) / n in the graph input's shape (missing dims count as 1).
Tensor light_input(const TensorInfo& info) {
  Shape shape = info.shape;
  for (int64_t& d : shape) d = d < 0 ? 1 : d;
  Tensor t(DType::kF32, shape);
  const int64_t n = t.numel();
  for (int64_t i = 0; i < n; ++i)
    t.data<float>()[i] = static_cast<float>(i) / static_cast<float>(n);
  return t;
}

}  // namespace

CaseResult run_conformance_case(const ConformanceCase& c) {
  CaseResult result;
  result.op_types = model_op_types(c.model);
  auto engine = Engine::load(c.model);
  if (!engine.is_ok()) {
    result.outcome =
        engine.status().code() == StatusCode::kUnsupported ? Outcome::kUnsupported : Outcome::kFail;
    result.detail = engine.status().message();
    return result;
  }
  const Engine& e = **engine;
  std::vector<std::pair<std::string, Tensor>> feeds;
  if (c.whole_network) {
    for (const TensorInfo& in : e.inputs()) feeds.emplace_back(in.name, light_input(in));
  } else {
    if (c.input_files.size() != e.inputs().size()) {
      result.detail = "case has " + std::to_string(c.input_files.size()) + " inputs, model has " +
                      std::to_string(e.inputs().size());
      return result;
    }
    for (size_t i = 0; i < c.input_files.size(); ++i) {
      auto t = read_tensor_proto_file(c.input_files[i]);
      if (!t.is_ok()) {
        result.detail = t.status().message();
        return result;
      }
      feeds.emplace_back(e.inputs()[i].name, std::move(t).value());
    }
  }
  std::vector<std::string> names;
  for (const TensorInfo& out : e.outputs()) names.push_back(out.name);
  auto outputs = e.run(feeds, names);
  if (!outputs.is_ok()) {
    result.outcome = outputs.status().code() == StatusCode::kUnsupported ? Outcome::kUnsupported
                                                                         : Outcome::kFail;
    result.detail = outputs.status().message();
    return result;
  }
  double worst = 0;  // largest |actual - expected| / (atol + rtol * |expected|)
  for (size_t o = 0; o < c.output_files.size() && o < outputs->size(); ++o) {
    auto expected = read_tensor_proto_file(c.output_files[o]);
    if (!expected.is_ok()) {
      result.detail = expected.status().message();
      return result;
    }
    const Tensor& actual = (*outputs)[o];
    if (actual.shape() != expected->shape()) {
      result.detail = "output " + std::to_string(o) + ": shape " + shape_to_string(actual.shape()) +
                      ", expected " + shape_to_string(expected->shape());
      return result;
    }
    std::vector<float> a = actual.to_floats();
    std::vector<float> x = expected->to_floats();
    for (size_t i = 0; i < a.size(); ++i) {
      // As numpy.testing.assert_allclose in the ONNX suite: NaN equals NaN, inf equals inf.
      if ((std::isnan(a[i]) && std::isnan(x[i])) || (std::isinf(x[i]) && a[i] == x[i])) continue;
      double ratio = std::abs(double(a[i]) - x[i]) / (c.atol + c.rtol * std::abs(double(x[i])));
      if (!(ratio <= 1.0)) {
        std::ostringstream msg;
        msg << "output " << o << " element " << i << ": got " << a[i] << ", expected " << x[i]
            << " (rtol " << c.rtol << ", atol " << c.atol << ")";
        result.detail = msg.str();
        return result;
      }
      worst = std::max(worst, ratio);
    }
  }
  result.outcome = Outcome::kPass;
  std::ostringstream msg;
  msg << "worst error " << worst << " of tolerance";
  result.detail = msg.str();
  return result;
}

}  // namespace pixlake::testing
