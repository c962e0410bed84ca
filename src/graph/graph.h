// The computation graph the importer produces and the executor runs. It holds no math and
// no ONNX types: nodes carry an op_type name and attributes; operators are created later.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/attributes.h"
#include "pixlake/tensor.h"

namespace pixlake {

// Type and shape of a named tensor as declared by the model; -1 marks an unknown or
// symbolic dimension (its name, if any, is in dim_names).
struct ValueInfo {
  std::string name;
  DType dtype = DType::kUndefined;
  Shape dims;
  std::vector<std::string> dim_names;
  bool has_shape = false;
};

struct Node {
  std::string name;  // the model's node name, or "<op_type>_<index>" when it has none
  std::string op_type;
  std::string domain;
  std::vector<std::string> inputs;  // "" marks an omitted optional input
  std::vector<std::string> outputs;
  Attributes attrs;
};

struct Graph {
  std::string source;                       // file the graph came from, for error messages
  int opset = 0;                            // default-domain opset version
  std::vector<Node> nodes;                  // topologically sorted
  std::map<std::string, Tensor> constants;  // initializers and folded constants
  std::vector<ValueInfo> inputs;            // inputs the caller feeds (initializers excluded)
  std::vector<ValueInfo> outputs;
  std::map<std::string, ValueInfo> value_info;  // known types of intermediate tensors
};

// Sorts nodes so every input is produced before use; errors name a tensor no node produces.
Status topological_sort(Graph& graph);

}  // namespace pixlake
