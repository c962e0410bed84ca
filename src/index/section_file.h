// The container of every index file: a fixed 4 KiB header (magic, version, the index's
// parameters as named integers, a section table) and 64-byte aligned sections, each with its
// own CRC32C, all little-endian. Written to a temporary file, fsynced, renamed over the
// target and the folder fsynced, so a crash leaves the old file or the new one, never a mix.
// Layout in docs/file_formats.md.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

inline constexpr char kIndexMagic[8] = {'P', 'X', 'I', 'N', 'D', 'E', 'X', '\0'};
inline constexpr uint32_t kIndexVersion = 1;

struct SectionFile {
  std::map<std::string, int64_t> fields;  // parameters; names up to 23 bytes
  // name (up to 15 bytes) -> bytes; written in name order
  std::map<std::string, std::vector<uint8_t>> sections;

  template <typename T>
  void put(const std::string& name, const std::vector<T>& values) {
    const auto* p = reinterpret_cast<const uint8_t*>(values.data());
    sections[name].assign(p, p + values.size() * sizeof(T));
  }
  // Copies section `name` into `out`; the size must be a whole number of T, and `expected`
  // elements when expected >= 0.
  template <typename T>
  Status get(const std::string& name, std::vector<T>* out, int64_t expected) const;
  Result<int64_t> field(const std::string& name) const;
};

Status write_section_file(const std::string& path, const SectionFile& file);
// Reads and verifies (magic, version, header and section checksums, bounds). Errors name the
// file and the section.
Result<SectionFile> read_section_file(const std::string& path);

template <typename T>
Status SectionFile::get(const std::string& name, std::vector<T>* out, int64_t expected) const {
  auto it = sections.find(name);
  if (it == sections.end()) return data_loss("index file: section '" + name + "' is missing");
  const auto& bytes = it->second;
  if (bytes.size() % sizeof(T) != 0 ||
      (expected >= 0 && bytes.size() != static_cast<size_t>(expected) * sizeof(T))) {
    return data_loss("index file: section '" + name + "' has " + std::to_string(bytes.size()) +
                     " bytes, which does not match the header");
  }
  out->resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out->data(), bytes.data(), bytes.size());
  return Status::ok();
}

}  // namespace pixlake
