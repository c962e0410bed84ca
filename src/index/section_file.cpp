#include "index/section_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/crc32c.h"
#include "core/posix_file.h"

namespace pixlake {
namespace {

constexpr uint32_t kHeaderBytes = 4096;
constexpr size_t kFieldsAt = 64, kFieldBytes = 32, kFieldName = 24, kMaxFields = 64;
constexpr size_t kSectionsAt = kFieldsAt + kMaxFields * kFieldBytes;  // 2112
constexpr size_t kSectionBytes = 40, kSectionName = 16, kMaxSections = 48;
constexpr size_t kHeaderCrcAt = kHeaderBytes - 4;

template <typename T>
void put_le(uint8_t* at, T value) {
  std::memcpy(at, &value, sizeof(T));  // x86-64 and aarch64 Linux are little-endian
}
template <typename T>
T get_le(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

uint64_t align_64(uint64_t n) { return (n + 63) / 64 * 64; }

std::string read_name(const uint8_t* at, size_t max) {
  size_t n = 0;
  while (n < max && at[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(at), n);
}

}  // namespace

Result<int64_t> SectionFile::field(const std::string& name) const {
  auto it = fields.find(name);
  if (it == fields.end()) return data_loss("index file: field '" + name + "' is missing");
  return it->second;
}

Status write_section_file(const std::string& path, const SectionFile& file) {
  if (file.fields.size() > kMaxFields || file.sections.size() > kMaxSections) {
    return invalid_argument("index file: too many fields or sections");
  }
  std::vector<uint8_t> header(kHeaderBytes, 0);
  std::memcpy(header.data(), kIndexMagic, sizeof(kIndexMagic));
  put_le<uint32_t>(&header[8], kIndexVersion);
  put_le<uint32_t>(&header[12], kHeaderBytes);
  put_le<uint32_t>(&header[16], static_cast<uint32_t>(file.fields.size()));
  put_le<uint32_t>(&header[20], static_cast<uint32_t>(file.sections.size()));
  size_t slot = 0;
  for (const auto& [name, value] : file.fields) {
    if (name.size() >= kFieldName) return invalid_argument("index file: field name " + name);
    uint8_t* at = &header[kFieldsAt + slot++ * kFieldBytes];
    std::memcpy(at, name.data(), name.size());
    put_le<int64_t>(at + kFieldName, value);
  }
  uint64_t offset = kHeaderBytes;
  slot = 0;
  for (const auto& [name, bytes] : file.sections) {
    if (name.size() >= kSectionName) return invalid_argument("index file: section name " + name);
    uint8_t* at = &header[kSectionsAt + slot++ * kSectionBytes];
    std::memcpy(at, name.data(), name.size());
    put_le<uint64_t>(at + 16, offset);
    put_le<uint64_t>(at + 24, bytes.size);
    put_le<uint32_t>(at + 32, crc32c(bytes.data, bytes.size));
    offset = align_64(offset + bytes.size);
  }
  put_le<uint64_t>(&header[24], offset);  // the whole file: a cut-off tail is noticed
  put_le<uint32_t>(&header[kHeaderCrcAt], crc32c(header.data(), kHeaderCrcAt));

  const std::string temp = path + ".tmp";
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return io_error("cannot create " + temp + ": " + errno_text(errno));
  Status status = pwrite_all(fd.get(), header.data(), header.size(), 0, temp);
  offset = kHeaderBytes;
  for (const auto& [name, bytes] : file.sections) {
    if (!status.is_ok()) break;
    status = pwrite_all(fd.get(), bytes.data, bytes.size, offset, temp);
    offset = align_64(offset + bytes.size);
  }
  if (status.is_ok() && ::ftruncate(fd.get(), static_cast<off_t>(offset)) != 0) {
    status = io_error("cannot size " + temp + ": " + errno_text(errno));
  }
  if (status.is_ok()) status = sync_file(fd.get(), temp);
  fd.reset();
  if (status.is_ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    status = io_error("cannot rename " + temp + " to " + path + ": " + errno_text(errno));
  }
  if (!status.is_ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return sync_parent_dir(path);
}

Result<SectionFile> read_section_file(const std::string& path, bool verify_sections) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return io_error("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return io_error("cannot stat " + path + ": " + errno_text(errno));
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  if (file_size < kHeaderBytes) {
    return data_loss(path + ": not a pixlake index (shorter than its header)");
  }
  void* base = ::mmap(nullptr, file_size, PROT_READ, MAP_SHARED, fd.get(), 0);
  if (base == MAP_FAILED) return io_error("cannot map " + path + ": " + errno_text(errno));
  SectionFile file;
  file.mapping = std::shared_ptr<const void>(
      base, [file_size](const void* p) { ::munmap(const_cast<void*>(p), file_size); });
  const auto* bytes = static_cast<const uint8_t*>(base);
  const uint8_t* header = bytes;
  if (std::memcmp(header, kIndexMagic, sizeof(kIndexMagic)) != 0) {
    return data_loss(path + ": not a pixlake index (bad magic)");
  }
  const uint32_t version = get_le<uint32_t>(&header[8]);
  if (version != kIndexVersion) {
    return data_loss(path + ": index format version " + std::to_string(version) +
                     " is not supported (this build reads " + std::to_string(kIndexVersion) + ")");
  }
  if (get_le<uint32_t>(&header[kHeaderCrcAt]) != crc32c(header, kHeaderCrcAt)) {
    return data_loss(path + ": header checksum mismatch (the file is damaged)");
  }
  if (get_le<uint64_t>(&header[24]) != file_size) {
    return data_loss(path + ": file is " + std::to_string(file_size) + " bytes, its header says " +
                     std::to_string(get_le<uint64_t>(&header[24])) + " (truncated or appended to)");
  }
  const uint32_t n_fields = get_le<uint32_t>(&header[16]);
  const uint32_t n_sections = get_le<uint32_t>(&header[20]);
  if (get_le<uint32_t>(&header[12]) != kHeaderBytes || n_fields > kMaxFields ||
      n_sections > kMaxSections) {
    return data_loss(path + ": header is inconsistent");
  }
  for (uint32_t i = 0; i < n_fields; ++i) {
    const uint8_t* at = &header[kFieldsAt + i * kFieldBytes];
    file.fields[read_name(at, kFieldName)] = get_le<int64_t>(at + kFieldName);
  }
  for (uint32_t i = 0; i < n_sections; ++i) {
    const uint8_t* at = &header[kSectionsAt + i * kSectionBytes];
    const std::string name = read_name(at, kSectionName);
    const uint64_t offset = get_le<uint64_t>(at + 16);
    const uint64_t size = get_le<uint64_t>(at + 24);
    if (offset < kHeaderBytes || offset > file_size || size > file_size - offset ||
        offset % 64 != 0) {
      return data_loss(path + ": section '" + name + "' lies outside the file (truncated?)");
    }
    if (verify_sections && crc32c(bytes + offset, size) != get_le<uint32_t>(at + 32)) {
      return data_loss(path + ": section '" + name + "' checksum mismatch (the file is damaged)");
    }
    file.sections[name] = {bytes + offset, size};
  }
  return file;
}

}  // namespace pixlake
