// The on-disk layout of a lake embedding file (LAKE/embeddings/<model>.pxe), version 1.
// docs/file_formats.md describes it byte by byte; this file is the code for that description:
// constants, header encode/decode and the row layout. No I/O here (see embedding_store.h).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pixlake/status.h"

namespace pixlake {

// Rows hold native floats and are read in place through mmap, so the host must be little-endian
// like the file. (Header integers are encoded byte by byte and would be portable anyway.)
static_assert(std::endian::native == std::endian::little, "embedding files are little-endian");

inline constexpr char kEmbeddingMagic[8] = {'P', 'X', 'L', 'K', 'E', 'M', 'B', '\0'};
inline constexpr uint32_t kEmbeddingFormatVersion = 1;
inline constexpr uint32_t kEmbeddingHeaderSize = 512;   // v1; rows start here
inline constexpr size_t kEmbeddingModelNameBytes = 64;  // field size, NUL included
inline constexpr size_t kEmbeddingLayerNameBytes = 256;
inline constexpr int32_t kEmbeddingMaxDim = 1 << 20;
inline constexpr uint32_t kEmbeddingAlignment = 64;  // rows and sections: one cache line

// Element type of the vectors. Values are part of the format; only kF32 is written today,
// the others are reserved so that a reader refuses them by name instead of misreading.
enum class EmbeddingDType : uint32_t {
  kF32 = 1,
  kF16 = 2,   // reserved
  kBF16 = 3,  // reserved
  kI8 = 4,    // reserved
};
const char* embedding_dtype_name(EmbeddingDType dtype);

// What the file says about the embeddings it holds. The caller fills it for create(); open()
// returns it so the caller can check it holds the model and layer it expects.
struct EmbeddingStoreHeader {
  std::string model;                       // registry name, e.g. "mobilenetv2" (<= 63 bytes)
  std::string layer;                       // embedding tensor name, e.g. "627" (<= 255 bytes)
  std::array<uint8_t, 32> model_sha256{};  // SHA-256 of the model file that made the rows
  int32_t dim = 0;                         // floats per vector, 1..kEmbeddingMaxDim
  EmbeddingDType dtype = EmbeddingDType::kF32;
  int64_t created_unix = 0;  // create() fills in "now" when left 0
  uint64_t generation = 0;   // 0 at create, +1 by each compact()
};

// Where things are inside one row (v1): the vector at offset 0 (so it is 64-byte aligned), then
// at id_offset the int64 image id, a uint32 CRC32C of bytes [0, id_offset + 8) and a zero uint32,
// then zero padding to `stride`, a multiple of 64.
struct EmbeddingRowLayout {
  uint32_t vector_bytes = 0;
  uint32_t id_offset = 0;
  uint32_t checksum_offset = 0;
  uint32_t stride = 0;
};
EmbeddingRowLayout embedding_row_layout(int32_t dim, EmbeddingDType dtype);

// Checks the fields a caller supplies to create(): names fit and hold no NUL, dim in range,
// dtype written by this version. Messages name the field.
Status validate_embedding_header(const EmbeddingStoreHeader& header);

// The 512 header bytes for `header` (which must validate), checksum included.
std::array<uint8_t, kEmbeddingHeaderSize> encode_embedding_header(
    const EmbeddingStoreHeader& header);

// Parses and checks header bytes read from `path` (used in messages). `bytes` may be shorter
// than a header when the file is. Checks, in order: size, magic, version, header size, checksum,
// then each field; the first failure names the file and the field.
Result<EmbeddingStoreHeader> decode_embedding_header(const uint8_t* bytes, size_t size,
                                                     const std::string& path);

// Writes one row (vector, id, checksum, zero padding) into `row`, which has layout.stride bytes.
void encode_embedding_row(const EmbeddingRowLayout& layout, int64_t id, const float* vector,
                          uint8_t* row);

// True when the row's stored checksum matches its vector and id.
bool embedding_row_checksum_ok(const EmbeddingRowLayout& layout, const uint8_t* row);

}  // namespace pixlake
