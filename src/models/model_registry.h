// The model registry: each entry says where to get a model, how to preprocess images for it,
// which tensor is its embedding and which its classifier output. Preprocessing travels with
// the model so every caller (CLI, lake, server) feeds it the same way.
#pragma once

#include <string>
#include <vector>

#include "image/preprocess.h"
#include "pixlake/precision.h"
#include "pixlake/status.h"

namespace pixlake {

struct ModelSpec {
  std::string name;  // registry name, e.g. "mobilenetv2"
  std::string description;
  std::string file;         // file name in a model folder
  std::string sha256;       // of the file; verified before use
  std::string url;          // official download location
  std::string input;        // graph input fed with the preprocessed batch
  int64_t fixed_batch = 0;  // >0 when the graph input's batch dimension is fixed (e.g. 1)
  PreprocessSpec preprocess;
  std::string embedding_layer;         // tensor whose global average pool is the default embedding
  std::string classifier_output;       // class scores
  bool output_is_probability = false;  // true when the graph ends in Softmax
  std::string labels_file;             // class names, one a line, in a model folder
  bool dequantize = false;  // run a quantised file in float32 (EngineOptions::dequantize)
  Precision precision = Precision::kFp32;
};

const std::vector<ModelSpec>& builtin_models();
// nullptr when no entry has that name.
const ModelSpec* find_model(const std::string& name);

// Folders searched for model files, in order: $PIXLAKE_MODELS, $PIXLAKE_DATA/models,
// $XDG_CACHE_HOME/pixlake/models (or ~/.cache/pixlake/models).
std::vector<std::string> model_search_dirs();

// Finds the file of a registered model and checks its sha256. Errors say where it looked and
// where to download it from.
Result<std::string> locate_model_file(const ModelSpec& spec);
// Finds a side file (labels) in the same folders.
Result<std::string> locate_model_asset(const std::string& file);

}  // namespace pixlake
