// Bad input to the CLI: each case must print exactly one clear error line naming the thing at
// fault and exit non-zero -- never crash (a signal) or print a stack of messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "test_data.h"
#include "tiny_model.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

class CliErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pixlake_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Exactly one line on stderr, mentioning `needle`, and exit code 1.
  static void expect_one_line_error(const CommandResult& r, const std::string& needle) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
    EXPECT_EQ(r.err.rfind("pixlake: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << "'" << needle << "' not in: " << r.err;
  }

  std::string env() const { return "PIXLAKE_DATA='" + data_dir() + "' "; }

  fs::path dir_;
};

// A minimal valid model: y = Relu(x); `op_type` replaces Relu to make an unsupported one.
void write_model(const std::string& file, const std::string& op_type,
                 const std::string& attribute = "") {
  onnx::ModelProto model = tiny_model("g", {4});
  auto* node = add_node(model, "the_node", op_type, {"x"}, {"y"});
  if (!attribute.empty()) {
    auto* a = node->add_attribute();
    a->set_name(attribute);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(1);
  }
  std::ofstream out(file, std::ios::binary);
  model.SerializeToOstream(&out);
}

TEST_F(CliErrors, TruncatedModel) {
  PIXLAKE_REQUIRE_DATA("models/squeezenet1.0-fp16.onnx");
  fs::copy_file(data_path("models/squeezenet1.0-fp16.onnx"), path("t.onnx"));
  fs::resize_file(path("t.onnx"), fs::file_size(path("t.onnx")) / 2);
  auto r = run_command(env() + pixlake_binary() + " models '" + path("t.onnx") + "'");
  expect_one_line_error(r, "t.onnx");
  EXPECT_NE(r.err.find("truncated or corrupt"), std::string::npos) << r.err;
}

TEST_F(CliErrors, UnsupportedOperatorNamesNodeAndOp) {
  // A real ONNX operator that pixlake does not implement (a made-up one would be refused by
  // the ONNX checker before pixlake looks at it).
  write_model(path("u.onnx"), "Hardmax");
  auto r = run_command(env() + pixlake_binary() + " models '" + path("u.onnx") + "'");
  expect_one_line_error(r, "node 'the_node' (Hardmax): operator Hardmax is not supported");
}

TEST_F(CliErrors, UnsupportedAttributeNamesIt) {
  write_model(path("a.onnx"), "Relu", "bogus_attr");
  // The ONNX checker refuses it first (pixlake's own refusal is tested in tests/graph).
  auto r = run_command(env() + pixlake_binary() + " models '" + path("a.onnx") + "'");
  expect_one_line_error(r, "bogus_attr");
}

TEST_F(CliErrors, CorruptJpeg) {
  PIXLAKE_REQUIRE_DATA("models");
  std::ofstream(path("bad.jpg"), std::ios::binary)
      << std::string("\xFF\xD8\xFF\xE0", 4) << std::string(500, '\x5A');
  auto r = run_command(env() + pixlake_binary() + " embed --model mobilenetv2 '" + path("bad.jpg") +
                       "' -o " + path("o.npy"));
  expect_one_line_error(r, "bad.jpg");
  EXPECT_FALSE(fs::exists(path("o.npy")));
}

TEST_F(CliErrors, MissingImage) {
  PIXLAKE_REQUIRE_DATA("models");
  auto r = run_command(env() + pixlake_binary() + " classify --model squeezenet '" +
                       path("nope.jpg") + "'");
  expect_one_line_error(r, "nope.jpg");
}

TEST_F(CliErrors, MissingModelFile) {
  auto r = run_command(env() + pixlake_binary() + " models '" + path("missing.onnx") + "'");
  expect_one_line_error(r, "missing.onnx");
}

TEST_F(CliErrors, WrongLayerName) {
  PIXLAKE_REQUIRE_DATA("photos/cat.bmp");
  auto r =
      run_command(env() + pixlake_binary() + " embed --model squeezenet --layer no_such_tensor '" +
                  data_path("photos/cat.bmp") + "' -o " + path("o.npy"));
  expect_one_line_error(r, "layer 'no_such_tensor' does not exist");
}

TEST_F(CliErrors, UnknownModelName) {
  auto r = run_command(env() + pixlake_binary() + " classify --model nosuchmodel x.jpg");
  expect_one_line_error(r, "nosuchmodel");
}

TEST_F(CliErrors, UnknownOptionAndCommand) {
  auto r = run_command(pixlake_binary() + " embed --modle x");
  expect_one_line_error(r, "unknown option --modle");
  auto r2 = run_command(pixlake_binary() + " frobnicate");
  EXPECT_EQ(r2.exit_code, 2);
}

TEST_F(CliErrors, BadIntegerFlagsNameTheFlagAndTheRange) {
  const std::string bin = pixlake_binary();
  expect_one_line_error(run_command(bin + " classify --model x --top 0 a.jpg"), "--top");
  expect_one_line_error(run_command(bin + " embed --model x --batch 3x -o e.npy a.jpg"), "--batch");
  expect_one_line_error(run_command(bin + " add " + path("lake") + " --jobs -2"), "--jobs");
  expect_one_line_error(run_command(bin + " search " + path("lake") + " --id 1 -k 99999999"),
                        "from 1 to 1000000");
}

TEST_F(CliErrors, LargeLimitsAreAccepted) {
  // A pixel limit above a million is the normal case (a phone photo has 12 million).
  const std::string bin = pixlake_binary();
  ASSERT_EQ(run_command(bin + " init " + path("lake")).exit_code, 0);
  auto r = run_command(env() + bin + " add " + path("lake") +
                       " --max-pixels 200000000 --max-file-mb 4096 --no-progress");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace pixlake::testing
