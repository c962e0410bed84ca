#include "onnx/tensor_proto.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ops/onnx_dtype.h"

namespace pixlake {

namespace {

std::string tensor_label(const onnx::TensorProto& proto) { return "tensor '" + proto.name() + "'"; }

// Reads the tensor's `expected_bytes` at `offset` of an external data file, which must lie
// inside model_dir. The declared length is checked against both before anything is allocated.
Result<std::string> read_external(const onnx::TensorProto& proto, const std::string& model_dir,
                                  int64_t expected_bytes) {
  std::string location;
  int64_t offset = 0;
  int64_t length = -1;
  for (const auto& entry : proto.external_data()) {
    try {
      if (entry.key() == "location") location = entry.value();
      if (entry.key() == "offset") offset = std::stoll(entry.value());
      if (entry.key() == "length") length = std::stoll(entry.value());
    } catch (const std::exception&) {
      return data_loss(tensor_label(proto) + ": external data field '" + entry.key() +
                       "' is not a number");
    }
  }
  namespace fs = std::filesystem;
  fs::path rel(location);
  if (location.empty() || rel.is_absolute()) {
    return invalid_argument(tensor_label(proto) + ": external data location '" + location +
                            "' must be a relative path");
  }
  for (const auto& part : rel) {
    if (part == "..") {
      return invalid_argument(tensor_label(proto) + ": external data location '" + location +
                              "' leaves the model's folder");
    }
  }
  fs::path path = fs::path(model_dir) / rel;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return not_found(tensor_label(proto) + ": external data file '" + path.string() +
                     "' not found");
  in.seekg(0, std::ios::end);
  int64_t size = in.tellg();
  if (offset < 0 || offset > size) {
    return data_loss(tensor_label(proto) + ": external data offset " + std::to_string(offset) +
                     " is past the end of '" + path.string() + "'");
  }
  if (length < 0) length = size - offset;
  if (length > size - offset) {
    return data_loss(tensor_label(proto) + ": external data file '" + path.string() +
                     "' is truncated");
  }
  if (length != expected_bytes) {
    return data_loss(tensor_label(proto) + ": external data holds " + std::to_string(length) +
                     " bytes, the tensor needs " + std::to_string(expected_bytes));
  }
  std::string bytes(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  if (!in) return io_error(tensor_label(proto) + ": cannot read '" + path.string() + "'");
  return bytes;
}

// How many values the typed repeated field that carries `dtype` holds (the non-raw encoding).
int64_t typed_field_count(const onnx::TensorProto& proto, DType dtype) {
  switch (dtype) {
    case DType::kF32: return proto.float_data_size();
    case DType::kF64: return proto.double_data_size();
    case DType::kI64: return proto.int64_data_size();
    case DType::kU32:
    case DType::kU64: return proto.uint64_data_size();
    default: return proto.int32_data_size();  // every narrower type, float16 / bfloat16 bits
  }
}

// Copies typed repeated fields into the tensor; typed_field_count() has been checked.
void copy_typed_fields(const onnx::TensorProto& proto, Tensor& t) {
  const int64_t n = t.numel();
  switch (t.dtype()) {
    case DType::kF32:
      for (int64_t i = 0; i < n; ++i) t.data<float>()[i] = proto.float_data(i);
      return;
    case DType::kF64:
      for (int64_t i = 0; i < n; ++i) t.data<double>()[i] = proto.double_data(i);
      return;
    case DType::kI64:
      for (int64_t i = 0; i < n; ++i) t.data<int64_t>()[i] = proto.int64_data(i);
      return;
    case DType::kU32:
    case DType::kU64:
      for (int64_t i = 0; i < n; ++i) {
        if (t.dtype() == DType::kU32) {
          t.data<uint32_t>()[i] = static_cast<uint32_t>(proto.uint64_data(i));
        } else {
          t.data<uint64_t>()[i] = proto.uint64_data(i);
        }
      }
      return;
    default: {
      // Every narrower type (and float16 / bfloat16 bit patterns) travels in int32_data.
      size_t width = dtype_size(t.dtype());
      auto* dst = static_cast<uint8_t*>(t.raw());
      for (int64_t i = 0; i < n; ++i) {
        int32_t v = proto.int32_data(i);
        std::memcpy(dst + i * width, &v, width);  // little-endian: low bytes first
      }
      return;
    }
  }
}

}  // namespace

Result<Tensor> tensor_from_proto(const onnx::TensorProto& proto, const std::string& model_dir) {
  std::optional<DType> dtype = dtype_from_onnx(proto.data_type());
  if (!dtype) {
    return unsupported(tensor_label(proto) + ": data type " + std::to_string(proto.data_type()) +
                       " is not supported");
  }
  Shape shape(proto.dims().begin(), proto.dims().end());
  for (int64_t d : shape) {
    if (d < 0) return data_loss(tensor_label(proto) + ": negative dimension");
  }
  // Refuse absurd sizes, then check that the data the file holds matches the shape, all before
  // allocating: a hostile header declaring dims [2^30, 16] with no data must cost nothing, so
  // the memory a tensor takes is bounded by the bytes of its file.
  // Zero dimensions count as 1 in the cap, so an empty tensor cannot carry absurd dimensions
  // whose partial products overflow in the operators.
  constexpr int64_t kMaxBytes = int64_t{16} << 30;
  int64_t claimed = 1;
  for (int64_t d : shape) {
    if (d != 0 && claimed > kMaxBytes / d) return data_loss(tensor_label(proto) + ": too large");
    claimed *= std::max<int64_t>(d, 1);
  }
  const int64_t numel = shape_numel(shape);
  const int64_t nbytes = numel * static_cast<int64_t>(dtype_size(*dtype));
  if (nbytes > kMaxBytes) return data_loss(tensor_label(proto) + ": too large");
  const bool external = proto.data_location() == onnx::TensorProto::EXTERNAL;
  if (external || proto.has_raw_data()) {
    std::string external_bytes;
    if (external) {
      PIXLAKE_ASSIGN_OR_RETURN(external_bytes, read_external(proto, model_dir, nbytes));
    }
    const std::string& bytes = external ? external_bytes : proto.raw_data();
    if (static_cast<int64_t>(bytes.size()) != nbytes) {
      return data_loss(tensor_label(proto) + ": holds " + std::to_string(bytes.size()) +
                       " bytes, " + dtype_name(*dtype) + shape_to_string(shape) + " needs " +
                       std::to_string(nbytes));
    }
    Tensor t(*dtype, shape);
    if (!bytes.empty()) std::memcpy(t.raw(), bytes.data(), bytes.size());
    if (t.dtype() == DType::kBool) {
      auto* b = static_cast<uint8_t*>(t.raw());  // normalise to 0/1 before anyone reads a bool
      for (int64_t i = 0; i < t.numel(); ++i) b[i] = b[i] != 0;
    }
    return t;
  }
  const int64_t have = typed_field_count(proto, *dtype);
  if (have != numel) {
    return data_loss(tensor_label(proto) + ": holds " + std::to_string(have) + " values, shape " +
                     shape_to_string(shape) + " needs " + std::to_string(numel));
  }
  Tensor t(*dtype, shape);
  copy_typed_fields(proto, t);
  return t;
}

Result<Tensor> read_tensor_proto_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("tensor file '" + path + "' not found");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    return data_loss("tensor file '" + path + "': not a valid TensorProto");
  }
  auto dir = std::filesystem::path(path).parent_path().string();
  auto t = tensor_from_proto(proto, dir);
  if (!t.is_ok()) return t.status().with_context("tensor file '" + path + "'");
  return t;
}

}  // namespace pixlake
