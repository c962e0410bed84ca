// The importer's memory bounds on hostile files: a model over ImportOptions::max_file_bytes is
// refused before parsing, and a tensor whose dims declare more data than the file holds is
// refused before its memory is allocated (before, a 20-byte TensorProto declaring
// f32[1073741824,3] allocated and zeroed 12 GiB, then failed the size check).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "onnx/onnx_importer.h"
#include "onnx/tensor_proto.h"
#include "tiny_model.h"

namespace pixlake {
namespace {

// f32[2^30, 3]: 12 GiB declared, under the 16 GiB cap on one tensor, so only the check of the
// data actually present stands between it and the allocation.
onnx::TensorProto huge_declared_tensor() {
  onnx::TensorProto proto;
  proto.set_name("w");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  proto.add_dims(int64_t{1} << 30);
  proto.add_dims(3);
  return proto;
}

TEST(HostileSizes, RawDataShorterThanDimsIsRefusedBeforeAllocating) {
  onnx::TensorProto proto = huge_declared_tensor();
  proto.set_raw_data(std::string(4, '\0'));
  auto t = tensor_from_proto(proto, ".");
  ASSERT_FALSE(t.is_ok());
  EXPECT_EQ(t.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(t.status().message(), "tensor 'w': holds 4 bytes, f32[1073741824,3] needs 12884901888");
}

TEST(HostileSizes, TypedValuesFewerThanDimsAreRefusedBeforeAllocating) {
  onnx::TensorProto proto = huge_declared_tensor();
  proto.add_float_data(1.0f);
  auto t = tensor_from_proto(proto, ".");
  ASSERT_FALSE(t.is_ok());
  EXPECT_EQ(t.status().message(),
            "tensor 'w': holds 1 values, shape [1073741824,3] needs 3221225472");
  // No data at all is the same refusal.
  auto empty = tensor_from_proto(huge_declared_tensor(), ".");
  EXPECT_EQ(empty.status().code(), StatusCode::kDataLoss);
}

TEST(HostileSizes, EmptyTensorWithAbsurdDimensionsIsRefused) {
  onnx::TensorProto proto;
  proto.set_name("e");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {int64_t{0}, int64_t{1} << 62, int64_t{4}}) proto.add_dims(d);
  auto t = tensor_from_proto(proto, ".");
  ASSERT_FALSE(t.is_ok());
  EXPECT_EQ(t.status().message(), "tensor 'e': too large");
}

TEST(HostileSizes, ExternalLengthMustMatchTheTensor) {
  const auto dir = std::filesystem::temp_directory_path() / "pixlake_test_hostile_external";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "w.bin", std::ios::binary) << std::string(16, '\0');
  onnx::TensorProto proto = huge_declared_tensor();
  proto.set_data_location(onnx::TensorProto::EXTERNAL);
  auto* location = proto.add_external_data();
  location->set_key("location");
  location->set_value("w.bin");
  auto t = tensor_from_proto(proto, dir.string());
  ASSERT_FALSE(t.is_ok());
  EXPECT_EQ(t.status().message(),
            "tensor 'w': external data holds 16 bytes, the tensor needs 12884901888");
  // A declared length past the end of the file is refused too.
  auto* length = proto.add_external_data();
  length->set_key("length");
  length->set_value("12884901888");
  EXPECT_NE(tensor_from_proto(proto, dir.string()).status().message().find("is truncated"),
            std::string::npos);
  // The right length still loads.
  proto.clear_dims();
  proto.add_dims(4);
  length->set_value("16");
  auto ok = tensor_from_proto(proto, dir.string());
  ASSERT_TRUE(ok.is_ok()) << ok.status().message();
  EXPECT_EQ(ok->numel(), 4);
  std::filesystem::remove_all(dir);
}

TEST(HostileSizes, ModelBytesOverTheLimitAreRefusedBeforeParsing) {
  onnx::ModelProto model = testing::tiny_model("g", {1});
  testing::add_node(model, "r", "Relu", {"x"}, {"y"});
  const std::string bytes = model.SerializeAsString();
  ImportOptions options;
  options.max_file_bytes = static_cast<int64_t>(bytes.size()) - 1;
  auto refused = import_onnx_bytes(bytes, "m.onnx", ".", options);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "model 'm.onnx': " + std::to_string(bytes.size()) +
                                            " bytes exceeds the limit of " +
                                            std::to_string(bytes.size() - 1) + " bytes");
  options.max_file_bytes = static_cast<int64_t>(bytes.size());
  EXPECT_TRUE(import_onnx_bytes(bytes, "m.onnx", ".", options).is_ok());
}

}  // namespace
}  // namespace pixlake
