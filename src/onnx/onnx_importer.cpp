#include "onnx/onnx_importer.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "onnx/tensor_proto.h"
#include "ops/onnx_dtype.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

// The checker's messages span several lines ("...\n\n==> Context: ..."); errors are one line.
std::string one_line(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\n') {
      if (!out.empty() && out.back() != ' ') out += "; ";
    } else {
      out += ch;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

bool uses_external_data(const onnx::ModelProto& model) {
  for (const auto& init : model.graph().initializer()) {
    if (init.data_location() == onnx::TensorProto::EXTERNAL) return true;
  }
  return false;
}

// Domains whose operators pixlake implements under their plain op_type name.
bool is_supported_domain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx" || domain == "com.microsoft";
}

ValueInfo value_info_from_proto(const onnx::ValueInfoProto& proto) {
  ValueInfo info;
  info.name = proto.name();
  if (!proto.type().has_tensor_type()) return info;
  const auto& tensor_type = proto.type().tensor_type();
  info.dtype = dtype_from_onnx(tensor_type.elem_type()).value_or(DType::kUndefined);
  if (tensor_type.has_shape()) {
    info.has_shape = true;
    for (const auto& dim : tensor_type.shape().dim()) {
      info.dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
      info.dim_names.push_back(dim.has_dim_param() ? dim.dim_param() : "");
    }
  }
  return info;
}

// float16 weights and inputs compute in float32 (see docs/operators.md: precision policy).
DType compute_dtype(DType dtype) { return dtype == DType::kF16 ? DType::kF32 : dtype; }

Result<AttributeValue> attribute_from_proto(const onnx::AttributeProto& attr,
                                            const std::string& model_dir) {
  using A = onnx::AttributeProto;
  switch (attr.type()) {
    case A::INT: return AttributeValue(attr.i());
    case A::FLOAT: return AttributeValue(attr.f());
    case A::STRING: return AttributeValue(attr.s());
    case A::INTS:
      return AttributeValue(std::vector<int64_t>(attr.ints().begin(), attr.ints().end()));
    case A::FLOATS:
      return AttributeValue(std::vector<float>(attr.floats().begin(), attr.floats().end()));
    case A::STRINGS:
      return AttributeValue(std::vector<std::string>(attr.strings().begin(), attr.strings().end()));
    case A::TENSOR: {
      PIXLAKE_ASSIGN_OR_RETURN(Tensor t, tensor_from_proto(attr.t(), model_dir));
      if (t.dtype() == DType::kF16) t = cast_tensor(t, DType::kF32);
      return AttributeValue(std::move(t));
    }
    default:
      return unsupported("attribute '" + attr.name() + "' has type " +
                         A::AttributeType_Name(attr.type()) + ", which is not supported");
  }
}

// libonnx 1.12's shape inference trusts attribute values it divides by: MaxPool with
// strides=[2,2,0] raised SIGFPE inside convPoolShapeInference1 (found by fuzz_onnx_import), which
// no try/catch can turn into a Status. So before inference, nodes pixlake could not run anyway
// are refused (unknown domain or operator), and so are non-positive strides and dilations,
// which no operator accepts.
Status check_before_shape_inference(const onnx::GraphProto& g) {
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& node = g.node(i);
    const std::string name =
        node.name().empty() ? node.op_type() + "_" + std::to_string(i) : node.name();
    const std::string where = "node '" + name + "' (" + node.op_type() + ")";
    if (!is_supported_domain(node.domain())) {
      return unsupported(where + ": operator domain '" + node.domain() + "' is not supported");
    }
    if (!op_type_from_name(node.op_type())) {
      return unsupported(where + ": operator " + node.op_type() + " is not supported");
    }
    for (const auto& attr : node.attribute()) {
      if (attr.name() != "strides" && attr.name() != "dilations") continue;
      for (int64_t v : attr.ints()) {
        if (v < 1) {
          return invalid_argument(
              where + ": attribute '" + attr.name() + "' must be positive, got " +
              shape_to_string(std::vector<int64_t>(attr.ints().begin(), attr.ints().end())));
        }
      }
    }
  }
  return Status::ok();
}

Status import_nodes(const onnx::GraphProto& g, const std::string& model_dir, Graph& graph) {
  std::set<std::string> used_names;
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& proto = g.node(i);
    Node node;
    node.op_type = proto.op_type();
    node.domain = proto.domain();
    node.name = proto.name().empty() ? proto.op_type() + "_" + std::to_string(i) : proto.name();
    std::string where = "node '" + node.name + "' (" + node.op_type + ")";
    if (!is_supported_domain(node.domain)) {
      return unsupported(where + ": operator domain '" + node.domain + "' is not supported");
    }
    if (!op_type_from_name(node.op_type)) {
      return unsupported(where + ": operator " + node.op_type + " is not supported");
    }
    node.inputs.assign(proto.input().begin(), proto.input().end());
    node.outputs.assign(proto.output().begin(), proto.output().end());
    for (const auto& attr : proto.attribute()) {
      auto value = attribute_from_proto(attr, model_dir);
      if (!value.is_ok()) return value.status().with_context(where);
      node.attrs.set(attr.name(), std::move(value).value());
    }
    graph.nodes.push_back(std::move(node));
  }
  return Status::ok();
}

Result<Graph> convert(onnx::ModelProto& model, const std::string& name,
                      const std::string& model_dir) {
  Graph graph;
  graph.source = name;
  for (const auto& opset : model.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") {
      graph.opset = static_cast<int>(opset.version());
    }
  }
  if (graph.opset == 0) return unsupported("the model imports no default-domain opset");
  const onnx::GraphProto& g = model.graph();

  for (int i = 0; i < g.initializer_size(); ++i) {
    const onnx::TensorProto& init = g.initializer(i);
    auto t = tensor_from_proto(init, model_dir);
    if (!t.is_ok()) return t.status().with_context("initializer '" + init.name() + "'");
    Tensor value = std::move(t).value();
    if (value.dtype() == DType::kF16) value = cast_tensor(value, DType::kF32);
    graph.constants[init.name()] = std::move(value);
    // The bytes now live in the tensor: release the protobuf's copy as we go, so that the
    // load never holds the weights twice.
    std::string().swap(*model.mutable_graph()->mutable_initializer(i)->mutable_raw_data());
  }
  if (g.sparse_initializer_size() > 0) return unsupported("sparse initializers are not supported");
  // Old models list initializers among the inputs too; only the rest are fed by the caller.
  for (const auto& in : g.input()) {
    if (graph.constants.count(in.name())) continue;
    ValueInfo info = value_info_from_proto(in);
    if (info.dtype == DType::kUndefined) {
      return unsupported("input '" + in.name() + "' is not a tensor of a supported type");
    }
    info.dtype = compute_dtype(info.dtype);
    graph.inputs.push_back(std::move(info));
  }
  for (const auto& out : g.output()) {
    ValueInfo info = value_info_from_proto(out);
    info.dtype = compute_dtype(info.dtype);
    graph.outputs.push_back(std::move(info));
  }
  for (const auto& vi : g.value_info()) {
    ValueInfo info = value_info_from_proto(vi);
    info.dtype = compute_dtype(info.dtype);
    graph.value_info[info.name] = std::move(info);
  }
  PIXLAKE_RETURN_IF_ERROR(import_nodes(g, model_dir, graph));
  PIXLAKE_RETURN_IF_ERROR(topological_sort(graph));
  std::set<std::string> produced;
  for (const auto& [name, t] : graph.constants) produced.insert(name);
  for (const auto& in : graph.inputs) produced.insert(in.name);
  for (const auto& node : graph.nodes) produced.insert(node.outputs.begin(), node.outputs.end());
  for (const auto& out : graph.outputs) {
    if (!produced.count(out.name)) {
      return invalid_argument("output '" + out.name + "' is produced by no node");
    }
  }
  return graph;
}

// Checks, infers shapes and converts a parsed model (its weights are moved out on the way).
Result<Graph> import_model(onnx::ModelProto& model, const std::string& name,
                           const std::string& model_dir, const ImportOptions& options) {
  const std::string label = "model '" + name + "'";
  if (!model.has_graph()) return data_loss(label + ": holds no graph");
  try {
    if (options.run_checker) {
      // The checker resolves external data relative to the model's folder, which only the
      // path form of check_model knows (it parses the file again, so use it only then).
      if (uses_external_data(model) && !options.file_path.empty()) {
        onnx::checker::check_model(options.file_path);
      } else {
        onnx::checker::check_model(model);
      }
    }
  } catch (const std::exception& e) {
    return invalid_argument(label + ": rejected by the ONNX checker: " + one_line(e.what()));
  }
  if (Status status = check_before_shape_inference(model.graph()); !status.is_ok()) {
    return status.with_context(label);
  }
  if (options.infer_shapes) {
    try {
      // Shape inference only adds value_info (types of intermediate tensors, listed by
      // `pixlake models`); the executor computes real shapes at run time, so failure is harmless.
      onnx::ShapeInferenceOptions shape_options{false, 0, false};
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), shape_options);
    } catch (const std::exception&) {
    }
  }
  auto graph = convert(model, name, model_dir);
  if (!graph.is_ok()) return graph.status().with_context(label);
  return graph;
}

}  // namespace

Result<Graph> import_onnx_bytes(const std::string& bytes, const std::string& name,
                                const std::string& model_dir, const ImportOptions& options) {
  const std::string label = "model '" + name + "'";
  if (bytes.empty()) return data_loss(label + ": file is empty");
  if (static_cast<int64_t>(bytes.size()) > options.max_file_bytes) {
    return invalid_argument(label + ": " + std::to_string(bytes.size()) +
                            " bytes exceeds the limit of " +
                            std::to_string(options.max_file_bytes) + " bytes");
  }
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    return data_loss(label + ": not a valid ONNX model (truncated or corrupt protobuf)");
  }
  return import_model(model, name, model_dir, options);
}

Result<Graph> import_onnx_file(const std::string& path, const ImportOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) return not_found("model '" + path + "': file not found");
  if (fs::is_directory(path, ec)) return invalid_argument("model '" + path + "': is a directory");
  auto size = fs::file_size(path, ec);
  if (ec) return io_error("model '" + path + "': " + ec.message());
  if (static_cast<int64_t>(size) > options.max_file_bytes) {
    return invalid_argument("model '" + path + "': " + std::to_string(size) +
                            " bytes exceeds the limit of " +
                            std::to_string(options.max_file_bytes) + " bytes");
  }
  if (size == 0) return data_loss("model '" + path + "': file is empty");
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("model '" + path + "': cannot be opened");
  // Parsed straight from the file: reading it into a string first kept a third copy of the
  // weights alive during the load (file bytes, protobuf, tensors), which was the process's
  // peak memory for every model.
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) {
    if (in.bad()) return io_error("model '" + path + "': read failed");
    return data_loss("model '" + path +
                     "': not a valid ONNX model (truncated or corrupt protobuf)");
  }
  std::string dir = fs::path(path).parent_path().string();
  ImportOptions with_path = options;
  with_path.file_path = path;
  return import_model(model, path, dir.empty() ? "." : dir, with_path);
}

}  // namespace pixlake
