// Images -> embeddings and class probabilities with a registered model or any ONNX file.
// The operations behind `pixlake embed` and `pixlake classify` (and later the lake and server).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "image/image.h"
#include "models/model_registry.h"
#include "pixlake/engine.h"

namespace pixlake {

class Embedder {
 public:
  // `model` is a registry name ("mobilenetv2") or a path to an .onnx file; a plain file gets
  // ImageNet RGB preprocessing and its first input. `layer` overrides the embedding tensor.
  // Errors: unknown model, missing file, bad model, unknown layer (naming it).
  static Result<std::unique_ptr<Embedder>> open(const std::string& model,
                                                const std::string& layer = "");

  const ModelSpec& spec() const { return spec_; }
  const Engine& engine() const { return *engine_; }
  const std::string& layer() const { return layer_; }

  // [N, D] float32 embeddings of the layer tensor: dequantised if it is quantised, global
  // average pooled over spatial dimensions (rank >= 3), flattened, L2-normalised per row.
  Result<Tensor> embed(const std::vector<Image>& images) const;
  // Same from an already preprocessed f32 [N, 3, H, W] batch.
  Result<Tensor> embed_preprocessed(const Tensor& batch) const;

  // [N, classes] probabilities (softmax of the logits unless the model outputs probabilities).
  Result<Tensor> classify(const std::vector<Image>& images) const;
  // Embeddings and probabilities of a preprocessed batch from one run of the model.
  Result<std::pair<Tensor, Tensor>> embed_and_classify_preprocessed(const Tensor& batch) const;

  // Runs the model on a preprocessed batch and returns the named tensors, splitting the batch
  // when the model's batch dimension is fixed.
  Result<std::vector<Tensor>> run(const Tensor& batch, const std::vector<std::string>& names) const;

 private:
  Embedder() = default;
  ModelSpec spec_;
  std::unique_ptr<Engine> engine_;
  std::string layer_;
};

// Turns a layer tensor into [N, D] L2-normalised float rows (see Embedder::embed).
// `quant` dequantises u8/i8 tensors; required for them.
Result<Tensor> layer_to_embedding(const Tensor& layer, const std::optional<QuantParams>& quant);

// The model's class names (its labels file), or an error naming what is missing.
Result<std::vector<std::string>> load_model_labels(const ModelSpec& spec);

// Row-wise softmax of an [N, K] tensor.
Tensor softmax_rows(const Tensor& logits);

}  // namespace pixlake
