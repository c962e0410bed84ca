// Graph-building helpers for the graph tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace pixlake {

inline Node make_node(const std::string& name, const std::string& op,
                      std::vector<std::string> inputs, std::vector<std::string> outputs) {
  Node n;
  n.name = name;
  n.op_type = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

}  // namespace pixlake
