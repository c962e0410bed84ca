#include "lake/embedding_format.h"

#include <cstdio>
#include <cstring>

#include "core/crc32c.h"

namespace pixlake {
namespace {

// Header field offsets (v1). Keep in step with docs/file_formats.md.
constexpr size_t kOffMagic = 0;
constexpr size_t kOffVersion = 8;
constexpr size_t kOffHeaderSize = 12;
constexpr size_t kOffDType = 16;
constexpr size_t kOffDim = 20;
constexpr size_t kOffRowStride = 24;
constexpr size_t kOffRowIdOffset = 28;
constexpr size_t kOffGeneration = 32;
constexpr size_t kOffCreated = 40;
constexpr size_t kOffModelSha256 = 48;
constexpr size_t kOffModel = 80;
constexpr size_t kOffLayer = kOffModel + kEmbeddingModelNameBytes;     // 144
constexpr size_t kOffReserved = kOffLayer + kEmbeddingLayerNameBytes;  // 400
constexpr size_t kOffHeaderCrc = kEmbeddingHeaderSize - 4;             // 508
static_assert(kOffReserved <= kOffHeaderCrc);

constexpr uint32_t round_up(uint32_t value, uint32_t to) { return (value + to - 1) / to * to; }

void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void store_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t load_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}
uint64_t load_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// A NUL-padded text field: the text ends at the first NUL, and one NUL at least must be there.
Result<std::string> load_text(const uint8_t* p, size_t field_bytes, const std::string& path,
                              const char* field) {
  const void* nul = std::memchr(p, 0, field_bytes);
  if (!nul) return data_loss("'" + path + "': header field '" + field + "' is not NUL-terminated");
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(static_cast<const uint8_t*>(nul) - p));
}

std::string hex32(uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

const char* embedding_dtype_name(EmbeddingDType dtype) {
  switch (dtype) {
    case EmbeddingDType::kF32: return "f32";
    case EmbeddingDType::kF16: return "f16";
    case EmbeddingDType::kBF16: return "bf16";
    case EmbeddingDType::kI8: return "i8";
  }
  return "unknown";
}

EmbeddingRowLayout embedding_row_layout(int32_t dim, EmbeddingDType dtype) {
  PIXLAKE_ASSERT(dim > 0 && dim <= kEmbeddingMaxDim);
  PIXLAKE_ASSERT(dtype == EmbeddingDType::kF32);
  EmbeddingRowLayout layout;
  layout.vector_bytes = static_cast<uint32_t>(dim) * sizeof(float);
  layout.id_offset = round_up(layout.vector_bytes, 8);  // the int64 id stays 8-byte aligned
  layout.checksum_offset = layout.id_offset + 8;
  layout.stride = round_up(layout.checksum_offset + 8, kEmbeddingAlignment);
  return layout;
}

Status validate_embedding_header(const EmbeddingStoreHeader& header) {
  if (header.model.empty() || header.model.size() >= kEmbeddingModelNameBytes ||
      header.model.find('\0') != std::string::npos)
    return invalid_argument("embedding header: model name '" + header.model + "' must be 1.." +
                            std::to_string(kEmbeddingModelNameBytes - 1) + " bytes without NUL");
  if (header.layer.size() >= kEmbeddingLayerNameBytes ||
      header.layer.find('\0') != std::string::npos)
    return invalid_argument("embedding header: layer name '" + header.layer + "' must be 0.." +
                            std::to_string(kEmbeddingLayerNameBytes - 1) + " bytes without NUL");
  if (header.dim <= 0 || header.dim > kEmbeddingMaxDim)
    return invalid_argument("embedding header: dim " + std::to_string(header.dim) +
                            " is outside 1.." + std::to_string(kEmbeddingMaxDim));
  if (header.dtype != EmbeddingDType::kF32)
    return unsupported(std::string("embedding header: dtype ") +
                       embedding_dtype_name(header.dtype) + " is not written yet (only f32)");
  return Status::ok();
}

std::array<uint8_t, kEmbeddingHeaderSize> encode_embedding_header(
    const EmbeddingStoreHeader& header) {
  PIXLAKE_ASSERT(validate_embedding_header(header).is_ok());
  const EmbeddingRowLayout layout = embedding_row_layout(header.dim, header.dtype);
  std::array<uint8_t, kEmbeddingHeaderSize> bytes{};  // names are NUL-padded, reserved is zero
  uint8_t* p = bytes.data();
  std::memcpy(p + kOffMagic, kEmbeddingMagic, sizeof kEmbeddingMagic);
  store_u32(p + kOffVersion, kEmbeddingFormatVersion);
  store_u32(p + kOffHeaderSize, kEmbeddingHeaderSize);
  store_u32(p + kOffDType, static_cast<uint32_t>(header.dtype));
  store_u32(p + kOffDim, static_cast<uint32_t>(header.dim));
  store_u32(p + kOffRowStride, layout.stride);
  store_u32(p + kOffRowIdOffset, layout.id_offset);
  store_u64(p + kOffGeneration, header.generation);
  store_u64(p + kOffCreated, static_cast<uint64_t>(header.created_unix));
  std::memcpy(p + kOffModelSha256, header.model_sha256.data(), header.model_sha256.size());
  std::memcpy(p + kOffModel, header.model.data(), header.model.size());
  std::memcpy(p + kOffLayer, header.layer.data(), header.layer.size());
  store_u32(p + kOffHeaderCrc, crc32c(p, kOffHeaderCrc));
  return bytes;
}

Result<EmbeddingStoreHeader> decode_embedding_header(const uint8_t* p, size_t size,
                                                     const std::string& path) {
  const std::string where = "'" + path + "': ";
  if (size < kOffHeaderSize + 4)
    return data_loss(where + "file is " + std::to_string(size) +
                     " bytes, too short for an embedding file header");
  if (std::memcmp(p + kOffMagic, kEmbeddingMagic, sizeof kEmbeddingMagic) != 0)
    return data_loss(where + "bad magic: not a pixlake embedding file (expected \"PXLKEMB\\0\")");
  const uint32_t version = load_u32(p + kOffVersion);
  if (version > kEmbeddingFormatVersion)
    return unsupported(where + "format version " + std::to_string(version) +
                       " is newer than this build reads (" +
                       std::to_string(kEmbeddingFormatVersion) + "); upgrade pixlake");
  if (version == 0) return data_loss(where + "header field 'version' is 0");
  const uint32_t header_size = load_u32(p + kOffHeaderSize);
  if (header_size != kEmbeddingHeaderSize)
    return data_loss(where + "header field 'header_size' is " + std::to_string(header_size) +
                     ", version 1 has " + std::to_string(kEmbeddingHeaderSize));
  if (size < kEmbeddingHeaderSize)
    return data_loss(where + "file is " + std::to_string(size) + " bytes, header needs " +
                     std::to_string(kEmbeddingHeaderSize));
  const uint32_t stored_crc = load_u32(p + kOffHeaderCrc);
  const uint32_t computed_crc = crc32c(p, kOffHeaderCrc);
  if (stored_crc != computed_crc)
    return data_loss(where + "header field 'header_crc32c' is " + hex32(stored_crc) +
                     " but the header bytes give " + hex32(computed_crc) + ": header is corrupt");

  EmbeddingStoreHeader header;
  const uint32_t dtype = load_u32(p + kOffDType);
  if (dtype < 1 || dtype > 4)
    return data_loss(where + "header field 'dtype' has unknown value " + std::to_string(dtype));
  header.dtype = static_cast<EmbeddingDType>(dtype);
  if (header.dtype != EmbeddingDType::kF32)
    return unsupported(where + "header field 'dtype' is " + embedding_dtype_name(header.dtype) +
                       ", which this build does not read (only f32)");
  const uint32_t dim = load_u32(p + kOffDim);
  if (dim == 0 || dim > static_cast<uint32_t>(kEmbeddingMaxDim))
    return data_loss(where + "header field 'dim' is " + std::to_string(dim) + ", outside 1.." +
                     std::to_string(kEmbeddingMaxDim));
  header.dim = static_cast<int32_t>(dim);
  const EmbeddingRowLayout layout = embedding_row_layout(header.dim, header.dtype);
  const uint32_t stride = load_u32(p + kOffRowStride);
  if (stride != layout.stride)
    return data_loss(where + "header field 'row_stride' is " + std::to_string(stride) + ", dim " +
                     std::to_string(dim) + " needs " + std::to_string(layout.stride));
  const uint32_t id_offset = load_u32(p + kOffRowIdOffset);
  if (id_offset != layout.id_offset)
    return data_loss(where + "header field 'row_id_offset' is " + std::to_string(id_offset) +
                     ", dim " + std::to_string(dim) + " needs " + std::to_string(layout.id_offset));
  header.generation = load_u64(p + kOffGeneration);
  header.created_unix = static_cast<int64_t>(load_u64(p + kOffCreated));
  std::memcpy(header.model_sha256.data(), p + kOffModelSha256, header.model_sha256.size());
  PIXLAKE_ASSIGN_OR_RETURN(header.model,
                           load_text(p + kOffModel, kEmbeddingModelNameBytes, path, "model"));
  PIXLAKE_ASSIGN_OR_RETURN(header.layer,
                           load_text(p + kOffLayer, kEmbeddingLayerNameBytes, path, "layer"));
  if (header.model.empty()) return data_loss(where + "header field 'model' is empty");
  return header;
}

void encode_embedding_row(const EmbeddingRowLayout& layout, int64_t id, const float* vector,
                          uint8_t* row) {
  std::memset(row, 0, layout.stride);
  std::memcpy(row, vector, layout.vector_bytes);
  store_u64(row + layout.id_offset, static_cast<uint64_t>(id));
  store_u32(row + layout.checksum_offset, crc32c(row, layout.checksum_offset));
}

bool embedding_row_checksum_ok(const EmbeddingRowLayout& layout, const uint8_t* row) {
  return load_u32(row + layout.checksum_offset) == crc32c(row, layout.checksum_offset);
}

}  // namespace pixlake
