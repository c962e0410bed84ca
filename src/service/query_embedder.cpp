#include "service/query_embedder.h"

namespace pixlake {

Result<std::shared_ptr<const Embedder>> QueryEmbedder::embedder(const std::string& model) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = embedders_.find(model);
  if (it != embedders_.end()) return it->second;
  auto opened = Embedder::open(model);
  // The model belongs to the lake; failing to load it is the server's problem, not the client's.
  if (!opened.is_ok()) return internal_error(opened.status().message());
  std::shared_ptr<const Embedder> shared(std::move(opened).value());
  embedders_[model] = shared;
  return shared;
}

Result<std::vector<float>> QueryEmbedder::embed(const std::string& model,
                                                const std::string& bytes) {
  if (bytes.empty()) return invalid_argument("upload: the image is empty");
  if (static_cast<int64_t>(bytes.size()) > limits_.max_file_bytes) {
    return invalid_argument("upload: the image is larger than the limit");
  }
  auto image = decode_image_memory(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                   "the uploaded image", limits_);
  // Whatever the decoder objects to (not an image, truncated, too many pixels, too slow), the
  // upload cannot be processed: Unsupported, with the decoder's reason.
  if (!image.is_ok()) return unsupported("upload: " + image.status().message());
  PIXLAKE_ASSIGN_OR_RETURN(auto e, embedder(model));
  PIXLAKE_ASSIGN_OR_RETURN(Tensor rows, e->embed({*image}));
  return std::vector<float>(rows.data<float>(), rows.data<float>() + rows.numel());
}

}  // namespace pixlake
