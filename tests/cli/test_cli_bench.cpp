// `pixlake bench`: the JSON report of a real model (the shared int8 MobileNetV2, whose graph has
// 0.60 GFLOP of convolutions and matrix products per image), and one-line errors with a
// non-zero exit for what it cannot run.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/json_value.h"
#include "run_command.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

constexpr const char* kModel = "models/mobilenetv2-12-int8.onnx";

// A number member of the report (NaN when missing, so the comparison fails).
double num(const JsonValue& v, const std::string& key) {
  const JsonValue* m = v.find(key);
  return m != nullptr && m->is_number() ? m->as_number() : std::nan("");
}

TEST(CliBench, ReportsSpeedFlopsAndMemory) {
  PIXLAKE_REQUIRE_DATA(kModel);
  auto r = run_command(pixlake_binary() + " bench '" + data_path(kModel) +
                       "' --batch 2 --iters 2 --warmup 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto json = parse_json(r.out);
  ASSERT_TRUE(json.is_ok()) << json.status().message() << "\n" << r.out;
  const JsonValue& v = json.value();
  ASSERT_NE(v.find("input"), nullptr);
  EXPECT_EQ(v.find("input")->as_string(), "input [2,3,224,224]");
  EXPECT_EQ(num(v, "batch"), 2);
  // Counted from the graph: 2 x multiply-adds of its QLinearConv and QLinearMatMul layers.
  EXPECT_NEAR(num(v, "gflop_per_image"), 0.60, 0.01);
  EXPECT_GT(num(v, "ms_per_image"), 0.0);
  EXPECT_NEAR(num(v, "images_per_s") * num(v, "ms_per_image"), 1000.0, 1.0);
  EXPECT_GT(num(v, "peak_gflops"), 1.0);
  EXPECT_GT(num(v, "peak_rss_mb"), 1.0);
}

TEST(CliBench, ErrorsAreOneLineAndNonZero) {
  for (const std::string& flags :
       {std::string(" /nonexistent/model.onnx"), std::string(" x.onnx --precision fp16"),
        std::string(" x.onnx --batch 0"), std::string("")}) {
    auto r = run_command(pixlake_binary() + " bench" + flags);
    EXPECT_EQ(r.exit_code, 1) << flags;
    EXPECT_EQ(r.err.rfind("pixlake: ", 0), 0u) << flags << ": " << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << flags << ": " << r.err;
  }
}

}  // namespace
}  // namespace pixlake::testing
