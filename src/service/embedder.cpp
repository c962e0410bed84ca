#include "service/embedder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "image/preprocess.h"

namespace pixlake {
namespace {

// A plain ONNX file: ImageNet preprocessing, first input, last output.
Result<ModelSpec> spec_for_file(const std::string& path, const Engine& engine) {
  ModelSpec spec;
  spec.name = std::filesystem::path(path).stem().string();
  spec.description = "ONNX file " + path;
  spec.file = path;
  if (engine.inputs().empty()) return invalid_argument("model '" + path + "' has no input");
  const TensorInfo& in = engine.inputs().front();
  spec.input = in.name;
  if (in.has_shape && in.shape.size() == 4) {
    if (in.shape[0] > 0) spec.fixed_batch = in.shape[0];
    if (in.shape[2] > 0 && in.shape[2] == in.shape[3]) {
      spec.preprocess.crop = static_cast<int>(in.shape[2]);
      spec.preprocess.resize_shorter = static_cast<int>(in.shape[2] * 256 / 224);
    }
  }
  if (!engine.outputs().empty()) spec.classifier_output = engine.outputs().back().name;
  spec.embedding_layer = spec.classifier_output;
  return spec;
}

}  // namespace

Result<std::unique_ptr<Embedder>> Embedder::open(const std::string& model,
                                                 const std::string& layer) {
  std::unique_ptr<Embedder> e(new Embedder());
  if (const ModelSpec* spec = find_model(model)) {
    e->spec_ = *spec;
    PIXLAKE_ASSIGN_OR_RETURN(std::string path, locate_model_file(*spec));
    EngineOptions options;
    options.dequantize = spec->dequantize;
    options.precision = spec->precision;
    PIXLAKE_ASSIGN_OR_RETURN(e->engine_, Engine::load(path, options));
  } else if (std::filesystem::path(model).extension() == ".onnx" ||
             std::filesystem::exists(model)) {
    PIXLAKE_ASSIGN_OR_RETURN(e->engine_, Engine::load(model));
    PIXLAKE_ASSIGN_OR_RETURN(e->spec_, spec_for_file(model, *e->engine_));
  } else {
    std::string names;
    for (const ModelSpec& m : builtin_models()) names += (names.empty() ? "" : ", ") + m.name;
    return not_found("model '" + model + "' is neither a registered model (" + names +
                     ") nor an .onnx file");
  }
  e->layer_ = layer.empty() ? e->spec_.embedding_layer : layer;
  if (!e->engine_->has_tensor(e->layer_)) {
    return not_found("layer '" + e->layer_ + "' does not exist in model '" + e->spec_.name +
                     "' (list layers with: pixlake models " + model + ")");
  }
  return e;
}

Result<std::vector<Tensor>> Embedder::run(const Tensor& batch,
                                          const std::vector<std::string>& names) const {
  const int64_t n = batch.dim(0);
  // Models with a free batch axis run a few images at a time: the convolutions gain nothing
  // from more (each image is its own product), while activations of 32 images no longer fit
  // in cache and their fresh pages cost faults (`pixlake embed --batch 1|4|16|32` on 300
  // Caltech images: 4.67 / 4.46 / 4.84 / 5.37 s).
  constexpr int64_t kInferenceBatch = 4;
  const int64_t step = spec_.fixed_batch > 0 ? spec_.fixed_batch : std::min(n, kInferenceBatch);
  if (step == n) return engine_->run({{spec_.input, batch}}, names);
  if (spec_.fixed_batch > 0 && n % step != 0) {
    return invalid_argument("batch of " + std::to_string(n) +
                            " is not a multiple of the model's fixed batch " +
                            std::to_string(step));
  }
  // Chunk by chunk (the last one may be smaller); results are concatenated along axis 0.
  std::vector<std::vector<Tensor>> parts;
  const int64_t per_item = batch.numel() / n;
  for (int64_t start = 0; start < n; start += step) {
    Shape shape = batch.shape();
    shape[0] = std::min(step, n - start);
    Tensor chunk = Tensor::uninitialized(DType::kF32, shape);
    std::copy_n(batch.data<float>() + start * per_item, shape[0] * per_item, chunk.data<float>());
    PIXLAKE_ASSIGN_OR_RETURN(std::vector<Tensor> out, engine_->run({{spec_.input, chunk}}, names));
    parts.push_back(std::move(out));
  }
  std::vector<Tensor> joined;
  for (size_t k = 0; k < names.size(); ++k) {
    Shape shape = parts[0][k].shape();
    if (shape.empty())
      return invalid_argument("tensor '" + names[k] + "' is a scalar; it has no batch axis");
    shape[0] = 0;
    for (const auto& p : parts) shape[0] += p[k].dim(0);
    Tensor all(parts[0][k].dtype(), shape);
    auto* dst = static_cast<uint8_t*>(all.raw());
    for (const auto& p : parts) {
      std::copy_n(static_cast<const uint8_t*>(p[k].raw()), p[k].nbytes(), dst);
      dst += p[k].nbytes();
    }
    joined.push_back(std::move(all));
  }
  return joined;
}

Result<Tensor> layer_to_embedding(const Tensor& layer, const std::optional<QuantParams>& quant) {
  if (layer.rank() < 1) return invalid_argument("embedding layer is a scalar");
  Tensor values = layer;
  if (layer.dtype() == DType::kU8 || layer.dtype() == DType::kI8) {
    if (!quant || quant->scale.empty()) {
      return unsupported("embedding layer is quantised but its scale is unknown");
    }
    if (quant->scale.size() != 1)
      return unsupported("per-channel quantised embedding layers are not supported");
    std::vector<float> raw = layer.to_floats();
    values = Tensor(DType::kF32, layer.shape());
    for (size_t i = 0; i < raw.size(); ++i) {
      values.data<float>()[i] =
          (raw[i] - static_cast<float>(quant->zero_point[0])) * quant->scale[0];
    }
  } else if (layer.dtype() != DType::kF32) {
    values = cast_tensor(layer, DType::kF32);
  }
  const int64_t n = values.rank() == 1 ? 1 : values.dim(0);
  const int64_t channels =
      values.rank() <= 2 ? values.numel() / std::max<int64_t>(n, 1) : values.dim(1);
  const int64_t spatial = values.numel() / std::max<int64_t>(n * channels, 1);
  Tensor out(DType::kF32, {n, channels});
  const float* src = values.data<float>();
  float* dst = out.data<float>();
  for (int64_t row = 0; row < n; ++row) {
    double norm = 0;
    for (int64_t c = 0; c < channels; ++c) {
      const float* plane = src + (row * channels + c) * spatial;
      double sum = 0;
      for (int64_t s = 0; s < spatial; ++s) sum += plane[s];
      float mean = static_cast<float>(sum / static_cast<double>(spatial));
      dst[row * channels + c] = mean;
      norm += double(mean) * mean;
    }
    if (norm > 0) {
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (int64_t c = 0; c < channels; ++c) dst[row * channels + c] *= inv;
    }
  }
  return out;
}

Tensor softmax_rows(const Tensor& logits) {
  const int64_t n = logits.dim(0);
  const int64_t k = logits.numel() / std::max<int64_t>(n, 1);
  Tensor out(DType::kF32, {n, k});
  std::vector<float> v = logits.to_floats();
  for (int64_t row = 0; row < n; ++row) {
    const float* x = v.data() + row * k;
    float m = *std::max_element(x, x + k);
    double sum = 0;
    for (int64_t i = 0; i < k; ++i) sum += std::exp(double(x[i]) - m);
    for (int64_t i = 0; i < k; ++i) {
      out.data<float>()[row * k + i] = static_cast<float>(std::exp(double(x[i]) - m) / sum);
    }
  }
  return out;
}

Result<Tensor> Embedder::embed_preprocessed(const Tensor& batch) const {
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<Tensor> out, run(batch, {layer_}));
  auto embedding = layer_to_embedding(out[0], engine_->quantization_of(layer_));
  if (!embedding.is_ok()) return embedding.status().with_context("layer '" + layer_ + "'");
  return embedding;
}

Result<Tensor> Embedder::embed(const std::vector<Image>& images) const {
  PIXLAKE_ASSIGN_OR_RETURN(Tensor batch, preprocess_batch(images, spec_.preprocess));
  return embed_preprocessed(batch);
}

namespace {

Tensor to_probabilities(const Tensor& output, bool is_probability) {
  Tensor scores = cast_tensor(output, DType::kF32);
  const int64_t n = scores.dim(0);
  scores = scores.reshaped({n, scores.numel() / std::max<int64_t>(n, 1)});
  return is_probability ? scores : softmax_rows(scores);
}

}  // namespace

Result<Tensor> Embedder::classify(const std::vector<Image>& images) const {
  if (spec_.classifier_output.empty())
    return unsupported("model '" + spec_.name + "' has no classifier output");
  PIXLAKE_ASSIGN_OR_RETURN(Tensor batch, preprocess_batch(images, spec_.preprocess));
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<Tensor> out, run(batch, {spec_.classifier_output}));
  return to_probabilities(out[0], spec_.output_is_probability);
}

Result<std::pair<Tensor, Tensor>> Embedder::embed_and_classify_preprocessed(
    const Tensor& batch) const {
  if (spec_.classifier_output.empty())
    return unsupported("model '" + spec_.name + "' has no classifier output");
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<Tensor> out, run(batch, {layer_, spec_.classifier_output}));
  auto embedding = layer_to_embedding(out[0], engine_->quantization_of(layer_));
  if (!embedding.is_ok()) return embedding.status().with_context("layer '" + layer_ + "'");
  return std::pair{std::move(embedding).value(),
                   to_probabilities(out[1], spec_.output_is_probability)};
}

Result<std::vector<std::string>> load_model_labels(const ModelSpec& spec) {
  if (spec.labels_file.empty()) {
    return unsupported("model '" + spec.name + "' has no class names (labels file)");
  }
  PIXLAKE_ASSIGN_OR_RETURN(std::string path, locate_model_asset(spec.labels_file));
  std::ifstream in(path);
  if (!in) return io_error("cannot read labels file '" + path + "'");
  std::vector<std::string> labels;
  for (std::string line; std::getline(in, line);) labels.push_back(line);
  return labels;
}

}  // namespace pixlake
