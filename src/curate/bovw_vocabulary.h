// The Bag of Visual Words vocabulary: the k-means centroids of RootSIFT descriptors ("visual
// words"), the inverse document frequency of each word, and the feature settings they were
// trained with (an image must be described the same way to be embedded with them).
//
// File LAKE/bovw/vocabulary.pxv, little-endian, format in docs/file_formats.md ("BOVW
// vocabulary file"): a 64-byte header (magic, version, header size, sizes, feature settings,
// CRC32C of header and payload), then the centroids and the IDF weights as float32.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "curate/local_features.h"
#include "pixlake/status.h"

namespace pixlake {

struct BovwVocabulary {
  static constexpr uint32_t kVersion = 1;

  int words = 0;
  int dim = kRootSiftDim;
  LocalFeatureOptions features;
  int64_t idf_images = 0;        // how many images the document frequencies were counted on
  std::vector<float> centroids;  // words * dim, row-major
  std::vector<float> idf;        // words: see inverse_document_frequency (bovw_histogram.h)
};

// Writes path.tmp, fsyncs it, renames it over `path` and fsyncs the folder: a reader sees the
// old file or the new one, never half of one.
Status save_bovw_vocabulary(const std::string& path, const BovwVocabulary& vocabulary);

// Reads and verifies a vocabulary file: magic, version, header size, checksums and sizes.
// Errors name the file and what is wrong (NotFound, DataLoss, Unsupported for a newer version).
Result<BovwVocabulary> load_bovw_vocabulary(const std::string& path);

}  // namespace pixlake
