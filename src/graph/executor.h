// Runs a Graph: creates one operator per node, folds constant sub-graphs once at load,
// fuses clamps (Relu, Clip) into the node before them where that node can apply them, and
// evaluates only the nodes a requested output depends on, freeing each intermediate tensor
// after its last use.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/thread_pool.h"
#include "graph/graph.h"
#include "ops/op.h"

namespace pixlake {

using NamedTensor = std::pair<std::string, Tensor>;

struct ExecutorOptions {
  // The largest tensor an operator may create when its size comes from values in the model
  // (ConstantOfShape's shape, Expand's shape, Tile's repeats), checked before allocating: a
  // few bytes of a hostile model must not ask for terabytes. Default: the importer's limit
  // on one initializer.
  int64_t max_tensor_bytes = int64_t{16} << 30;
  Precision precision = Precision::kFp32;  // see pixlake/precision.h
  int threads = 1;                         // intra-op threads (a pool when > 1)
  bool winograd = true;                    // see EngineOptions::winograd
};

class Executor {
 public:
  // Configures every operator (refusing unknown attributes and values, naming the node)
  // and folds nodes whose inputs are all constant.
  static Result<std::unique_ptr<Executor>> create(Graph graph, const ExecutorOptions& options = {});

  const Graph& graph() const { return graph_; }
  // The intra-op pool (null with one thread).
  ThreadPool* pool() const { return pool_.get(); }
  // True when `name` is an input, constant or node output of the graph.
  bool has_tensor(const std::string& name) const;

  // Feeds must cover every graph input. Outputs may name any tensor of the graph.
  // Thread safety: run() may be called from several threads at once (operators keep no
  // per-run state).
  Result<std::vector<Tensor>> run(const std::vector<NamedTensor>& feeds,
                                  const std::vector<std::string>& output_names) const;

 private:
  Executor() = default;
  Status build_ops(const ExecutorOptions& options);
  Status fold_constants();
  Status check_feeds(const std::vector<NamedTensor>& feeds) const;
  Status run_node(size_t index, const std::vector<const Tensor*>& inputs,
                  std::vector<Tensor>& outputs) const;
  void plan_clamp_fusion();

  Graph graph_;
  // Declared before ops_ so that it is destroyed after them: ops hold a pointer to it.
  std::unique_ptr<ThreadPool> pool_;      // intra-op threads; null with one thread
  std::vector<std::unique_ptr<Op>> ops_;  // ops_[i] runs graph_.nodes[i]
  // Constants whose values were dropped because every reader keeps a prepared copy
  // (Op::keeps_own_copy_of_input); their shapes remain.
  std::set<std::string> released_;

  // Clamp fusion: a node whose only consumer is a Relu or a Clip with constant bounds (Conv ->
  // Relu6 in MobileNet) can write the clamped values itself, saving a pass over the tensor;
  // likewise a MatMul whose only consumer adds a constant bias row (Op::fused_with_bias).
  // The graph is not rewritten, so every tensor stays requestable: a run that asks for the
  // unclamped tensor runs the two nodes separately.
  struct ClampFusion {
    size_t consumer = 0;        // index of the Relu / Clip node
    std::unique_ptr<Op> fused;  // the producer's op with the clamp built in
  };
  std::vector<std::optional<ClampFusion>> fusions_;  // by producer index
};

std::string node_label(const Node& node);  // "node 'conv1' (Conv)"

}  // namespace pixlake
