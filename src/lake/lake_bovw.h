// `pixlake bovw`: the Bag of Visual Words as another model of a lake. `train` learns a
// vocabulary from the lake's images and embeds every image; without train, images that lack a
// `bovw` row are embedded with the saved vocabulary. The rows live in LAKE/embeddings/bovw.pxe
// like any model's, so search, export and index work on them unchanged.
//
// Crash safety: the vocabulary is written (tmp + fsync + rename) before the model is
// registered, and its SHA-256 is recorded as the model's checksum; rows are committed in
// batches exactly as ingest commits them (append, fsync, then the catalog transaction). An
// interrupted train is finished by `pixlake bovw LAKE`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "curate/local_features.h"
#include "image/image.h"
#include "lake/catalog.h"
#include "lake/lake.h"
#include "pixlake/status.h"

namespace pixlake {

inline constexpr const char* kBovwModel = "bovw";
inline constexpr const char* kBovwLayer = "rootsift-tfidf";

std::string bovw_vocabulary_path(const std::string& lake_dir);

struct BovwProgress {
  const char* stage = "";  // "sampling", "training", "embedding"
  int64_t done = 0;
  int64_t total = 0;
  int64_t failed = 0;
};

struct BovwOptions {
  int words = 1000;          // vocabulary size (train)
  int64_t sample = 100'000;  // descriptors the vocabulary is trained on (train)
  uint64_t seed = 1;
  int jobs = 2;                  // decode + feature threads
  int batch = 256;               // images per catalog transaction
  LocalFeatureOptions features;  // train only: embedding reuses the vocabulary's settings
  DecodeLimits limits;
  std::function<void(const BovwProgress&)> on_progress;  // called from the calling thread
};

struct BovwReport {
  int words = 0;
  int64_t training_images = 0;          // images the descriptors were sampled from
  int64_t training_descriptors = 0;     // descriptors k-means ran on
  int64_t embedded = 0;                 // rows added
  std::vector<IngestFailure> failures;  // images that could not be read or described: skipped
  double seconds = 0;
};

// Trains the vocabulary on descriptors sampled from the lake's images, saves it, registers the
// `bovw` model and embeds every image. InvalidArgument when the lake already has `bovw`
// embeddings (a vocabulary change would make the old rows meaningless).
Result<BovwReport> train_bovw(Lake& lake, const BovwOptions& options);

// Embeds the images that have no `bovw` row with the saved vocabulary.
Result<BovwReport> embed_bovw(Lake& lake, const BovwOptions& options);

// The `bovw` embedding of an image file that need not be in the lake (a search query), with
// the lake's saved vocabulary. Read access is enough.
Result<std::vector<float>> bovw_embed_file(Lake& lake, const std::string& path,
                                           const DecodeLimits& limits = {});

}  // namespace pixlake
