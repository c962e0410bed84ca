#include "curate/bovw_vocabulary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "core/crc32c.h"
#include "core/posix_file.h"

namespace pixlake {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the vocabulary file is little-endian and written with memcpy");

constexpr char kMagic[8] = {'P', 'X', 'B', 'O', 'V', 'W', '\0', '\0'};
constexpr uint32_t kHeaderBytes = 64;
constexpr uint32_t kDescriptorDenseRootSift = 1;
// More words than this is not a vocabulary but a mistake (and a header to distrust).
constexpr uint32_t kMaxWords = 1u << 20;

// The 64-byte header, field by field (offsets in docs/file_formats.md).
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t header_bytes;
  uint32_t words;
  uint32_t dim;
  uint32_t descriptor;
  uint32_t max_side;
  uint32_t grid_step;
  float keypoint_size;
  int64_t idf_images;
  uint32_t payload_crc32c;
  uint8_t reserved[8];
  uint32_t header_crc32c;  // of bytes [0, 60)
};
static_assert(sizeof(Header) == kHeaderBytes);

uint64_t payload_bytes(uint32_t words, uint32_t dim) {
  return (uint64_t{words} * dim + words) * sizeof(float);
}

}  // namespace

Status save_bovw_vocabulary(const std::string& path, const BovwVocabulary& v) {
  if (v.words < 1 || v.dim != kRootSiftDim ||
      v.centroids.size() != static_cast<size_t>(v.words) * static_cast<size_t>(v.dim) ||
      v.idf.size() != static_cast<size_t>(v.words)) {
    return internal_error("bovw: vocabulary for '" + path + "' has inconsistent sizes");
  }
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = BovwVocabulary::kVersion;
  h.header_bytes = kHeaderBytes;
  h.words = static_cast<uint32_t>(v.words);
  h.dim = static_cast<uint32_t>(v.dim);
  h.descriptor = kDescriptorDenseRootSift;
  h.max_side = static_cast<uint32_t>(v.features.max_side);
  h.grid_step = static_cast<uint32_t>(v.features.grid_step);
  h.keypoint_size = v.features.keypoint_size;
  h.idf_images = v.idf_images;
  uint32_t crc = crc32c(v.centroids.data(), v.centroids.size() * sizeof(float));
  h.payload_crc32c = crc32c_extend(crc, v.idf.data(), v.idf.size() * sizeof(float));
  h.header_crc32c = crc32c(&h, offsetof(Header, header_crc32c));

  const std::string tmp = path + ".tmp";
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return io_error("bovw: cannot create '" + tmp + "': " + errno_text(errno));
  uint64_t offset = 0;
  PIXLAKE_RETURN_IF_ERROR(pwrite_all(fd.get(), &h, sizeof h, offset, tmp));
  offset += sizeof h;
  PIXLAKE_RETURN_IF_ERROR(
      pwrite_all(fd.get(), v.centroids.data(), v.centroids.size() * sizeof(float), offset, tmp));
  offset += v.centroids.size() * sizeof(float);
  PIXLAKE_RETURN_IF_ERROR(
      pwrite_all(fd.get(), v.idf.data(), v.idf.size() * sizeof(float), offset, tmp));
  PIXLAKE_RETURN_IF_ERROR(sync_file(fd.get(), tmp));
  fd.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return io_error("bovw: cannot rename '" + tmp + "' to '" + path + "': " + errno_text(errno));
  }
  return sync_parent_dir(path);
}

Result<BovwVocabulary> load_bovw_vocabulary(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) {
      return not_found("bovw: no vocabulary at '" + path +
                       "' (train one with: pixlake bovw train LAKE)");
    }
    return io_error("bovw: cannot open '" + path + "': " + errno_text(errno));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return io_error("bovw: cannot stat '" + path + "'");
  Header h;
  PIXLAKE_RETURN_IF_ERROR(pread_all(fd.get(), &h, sizeof h, 0, path));
  const std::string where = "bovw: vocabulary '" + path + "': ";
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
    return data_loss(where + "bad magic (not a pixlake vocabulary file)");
  }
  if (h.version > BovwVocabulary::kVersion) {
    return unsupported(where + "version " + std::to_string(h.version) +
                       " is newer than this pixlake reads (" +
                       std::to_string(BovwVocabulary::kVersion) + ")");
  }
  if (h.header_bytes != kHeaderBytes) {
    return data_loss(where + "header size " + std::to_string(h.header_bytes) + ", expected 64");
  }
  if (h.header_crc32c != crc32c(&h, offsetof(Header, header_crc32c))) {
    return data_loss(where + "header checksum mismatch");
  }
  if (h.words < 1 || h.words > kMaxWords || h.dim != static_cast<uint32_t>(kRootSiftDim) ||
      h.descriptor != kDescriptorDenseRootSift) {
    return data_loss(where + "unexpected sizes (words " + std::to_string(h.words) + ", dim " +
                     std::to_string(h.dim) + ", descriptor " + std::to_string(h.descriptor) + ")");
  }
  const uint64_t expected = kHeaderBytes + payload_bytes(h.words, h.dim);
  if (static_cast<uint64_t>(st.st_size) != expected) {
    return data_loss(where + "file is " + std::to_string(st.st_size) + " bytes, expected " +
                     std::to_string(expected));
  }
  BovwVocabulary v;
  v.words = static_cast<int>(h.words);
  v.dim = static_cast<int>(h.dim);
  v.features.max_side = static_cast<int>(h.max_side);
  v.features.grid_step = static_cast<int>(h.grid_step);
  v.features.keypoint_size = h.keypoint_size;
  if (v.features.max_side < 16 || v.features.grid_step < 1 || !(v.features.keypoint_size >= 1)) {
    return data_loss(where + "unusable feature settings (max side " + std::to_string(h.max_side) +
                     ", grid step " + std::to_string(h.grid_step) + ")");
  }
  v.idf_images = h.idf_images;
  v.centroids.resize(static_cast<size_t>(v.words) * static_cast<size_t>(v.dim));
  v.idf.resize(static_cast<size_t>(v.words));
  PIXLAKE_RETURN_IF_ERROR(pread_all(fd.get(), v.centroids.data(),
                                    v.centroids.size() * sizeof(float), kHeaderBytes, path));
  PIXLAKE_RETURN_IF_ERROR(pread_all(fd.get(), v.idf.data(), v.idf.size() * sizeof(float),
                                    kHeaderBytes + v.centroids.size() * sizeof(float), path));
  uint32_t crc = crc32c(v.centroids.data(), v.centroids.size() * sizeof(float));
  if (crc32c_extend(crc, v.idf.data(), v.idf.size() * sizeof(float)) != h.payload_crc32c) {
    return data_loss(where + "payload checksum mismatch (centroids or IDF corrupted)");
  }
  return v;
}

}  // namespace pixlake
