// Embedding query images sent to a server: one Embedder per model, loaded on first use and shared
// by every request thread (Engine::run may be called concurrently), and a guarded decode of the
// uploaded bytes (pixel, size and time limits from DecodeLimits).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "image/image.h"
#include "service/embedder.h"

namespace pixlake {

class QueryEmbedder {
 public:
  explicit QueryEmbedder(DecodeLimits limits) : limits_(limits) {}

  // Decodes `bytes` (any supported format) within the limits and embeds it with `model` (a
  // model name of the lake). Unsupported for bytes that cannot be decoded within the limits (not
  // an image, truncated, over the pixel limit, over the time limit); InvalidArgument when empty.
  Result<std::vector<float>> embed(const std::string& model, const std::string& bytes);

  const DecodeLimits& limits() const { return limits_; }

 private:
  Result<std::shared_ptr<const Embedder>> embedder(const std::string& model);

  DecodeLimits limits_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Embedder>> embedders_;
};

}  // namespace pixlake
