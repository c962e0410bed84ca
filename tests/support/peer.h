// Runs ONNX Runtime (npm onnxruntime-node, installed by scripts/install_peers.sh) on .npy
// inputs through tools/reference/ort_run.mjs, for parity tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/npy.h"

namespace pixlake::testing {

inline bool ort_available() {
  return std::filesystem::exists(std::string(PIXLAKE_SOURCE_DIR) +
                                 "/tools/reference/node_modules/onnxruntime-node/package.json");
}

// Runs `model` in ONNX Runtime with the given inputs and returns the named tensors.
inline Result<std::vector<Tensor>> run_ort(
    const std::string& model, const std::vector<std::pair<std::string, Tensor>>& inputs,
    const std::vector<std::string>& outputs, const std::string& work_dir) {
  std::filesystem::create_directories(work_dir);
  std::string cmd = "node '" + std::string(PIXLAKE_SOURCE_DIR) +
                    "/tools/reference/ort_run.mjs' --quiet --model '" + model + "'";
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string path = work_dir + "/in_" + std::to_string(i) + ".npy";
    PIXLAKE_RETURN_IF_ERROR(write_npy(path, inputs[i].second));
    cmd += " --input '" + inputs[i].first + "=" + path + "'";
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    cmd += " --output '" + outputs[i] + "=" + work_dir + "/out_" + std::to_string(i) + ".npy'";
  }
  if (std::system(cmd.c_str()) != 0) return internal_error("ONNX Runtime failed: " + cmd);
  std::vector<Tensor> result;
  for (size_t i = 0; i < outputs.size(); ++i) {
    PIXLAKE_ASSIGN_OR_RETURN(Tensor t, read_npy(work_dir + "/out_" + std::to_string(i) + ".npy"));
    result.push_back(std::move(t));
  }
  return result;
}

}  // namespace pixlake::testing
