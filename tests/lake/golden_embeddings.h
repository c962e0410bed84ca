// The content of tests/lake/data/embeddings_v1.pxe, the format-version-1 file kept so that every
// later build proves it still reads it (STYLE.md "Files we write"). gen_embedding_golden wrote
// it once; do not regenerate it: add a new file for a new version instead.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "lake/embedding_store.h"

namespace pixlake::testing {

inline constexpr int32_t kGoldenDim = 4;
inline constexpr int64_t kGoldenRows = 3;
inline constexpr int64_t kGoldenIds[kGoldenRows] = {1, -7, int64_t{1} << 40};
// Awkward values on purpose: negative zero, a subnormal, an inexact decimal, the f16 maximum.
inline const float kGoldenVectors[kGoldenRows * kGoldenDim] = {
    0.5f,   -1.25f,   3.0f,     0.0f,         //
    1e-3f,  -0.0f,    65504.0f, 1.0f / 3.0f,  //
    1e-40f, -2.5e10f, 7.0f,     std::numeric_limits<float>::infinity(),
};

inline EmbeddingStoreHeader golden_header() {
  EmbeddingStoreHeader h;
  h.model = "tiny";
  h.layer = "pool/out";
  for (size_t i = 0; i < h.model_sha256.size(); ++i) h.model_sha256[i] = static_cast<uint8_t>(i);
  h.dim = kGoldenDim;
  h.created_unix = 1767225600;  // 2026-01-01T00:00:00Z
  return h;
}

// Writes the golden content to `path` (which must not exist) with the current writer.
inline Status write_golden_embeddings(const std::string& path) {
  PIXLAKE_ASSIGN_OR_RETURN(auto store, EmbeddingStore::create(path, golden_header()));
  PIXLAKE_RETURN_IF_ERROR(store->append(kGoldenIds, kGoldenVectors, kGoldenRows));
  return store->sync();
}

}  // namespace pixlake::testing
