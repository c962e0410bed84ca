#include "graph/graph.h"

#include <set>

namespace pixlake {

Status topological_sort(Graph& graph) {
  std::set<std::string> available;
  for (const auto& [name, tensor] : graph.constants) available.insert(name);
  for (const ValueInfo& in : graph.inputs) available.insert(in.name);

  std::vector<Node> sorted;
  std::vector<bool> placed(graph.nodes.size(), false);
  sorted.reserve(graph.nodes.size());
  // Repeated sweeps keep the original order when it is already topological (the common case),
  // which keeps execution order and error messages predictable.
  bool progress = true;
  while (sorted.size() < graph.nodes.size() && progress) {
    progress = false;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      if (placed[i]) continue;
      const Node& node = graph.nodes[i];
      bool ready = true;
      for (const std::string& in : node.inputs) {
        if (!in.empty() && !available.count(in)) {
          ready = false;
          break;
        }
      }
      if (!ready) continue;
      for (const std::string& out : node.outputs) available.insert(out);
      placed[i] = true;
      sorted.push_back(std::move(graph.nodes[i]));
      progress = true;
    }
  }
  if (sorted.size() < graph.nodes.size()) {
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      if (placed[i]) continue;
      for (const std::string& in : graph.nodes[i].inputs) {
        if (!in.empty() && !available.count(in)) {
          return invalid_argument("node '" + graph.nodes[i].name + "' (" + graph.nodes[i].op_type +
                                  "): input '" + in + "' is produced by no node (or by a cycle)");
        }
      }
    }
    return invalid_argument("graph has a cycle");
  }
  graph.nodes = std::move(sorted);
  return Status::ok();
}

}  // namespace pixlake
