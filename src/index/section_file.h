// The container of every index file: a fixed 4 KiB header (magic, version, the index's
// parameters as named integers, a section table) and 64-byte aligned sections, each with its
// own CRC32C, all little-endian. Written to a temporary file, fsynced, renamed over the
// target and the folder fsynced, so a crash leaves the old file or the new one, never a mix.
// Read by mapping the file: sections are used in place. Layout in docs/file_formats.md.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "index/array_store.h"
#include "pixlake/status.h"

namespace pixlake {

inline constexpr char kIndexMagic[8] = {'P', 'X', 'I', 'N', 'D', 'E', 'X', '\0'};
inline constexpr uint32_t kIndexVersion = 1;

struct SectionFile {
  struct Section {
    const uint8_t* data = nullptr;
    size_t size = 0;
  };
  std::map<std::string, int64_t> fields;    // parameters; names up to 23 bytes
  std::map<std::string, Section> sections;  // names up to 15 bytes; written in name order
  // What the sections point into: the mapping (read) or buffers made by put_copy (write).
  std::shared_ptr<const void> mapping;
  std::vector<std::shared_ptr<const void>> buffers;

  // Refers to n elements at p, which must stay unchanged until the file is written.
  template <typename T>
  void put(const std::string& name, const T* p, size_t n) {
    sections[name] = {reinterpret_cast<const uint8_t*>(p), n * sizeof(T)};
  }
  template <typename T>
  void put(const std::string& name, const ArrayStore<T>& values) {
    put(name, values.data(), values.size());
  }
  template <typename T>
  void put(const std::string& name, const std::vector<T>& values) {
    put(name, values.data(), values.size());
  }
  template <typename T>
  void put_copy(const std::string& name, std::vector<T> values) {
    auto owned = std::make_shared<std::vector<T>>(std::move(values));
    put(name, owned->data(), owned->size());
    buffers.push_back(owned);
  }
  // Points `out` at section `name` (no copy); the size must be a whole number of T, and
  // `expected` elements when expected >= 0.
  template <typename T>
  Status get(const std::string& name, ArrayStore<T>* out, int64_t expected) const;
  // The same, copied into a vector.
  template <typename T>
  Status get(const std::string& name, std::vector<T>* out, int64_t expected) const {
    ArrayStore<T> view;
    PIXLAKE_RETURN_IF_ERROR(get(name, &view, expected));
    out->assign(view.begin(), view.end());
    return Status::ok();
  }
  Result<int64_t> field(const std::string& name) const;
};

Status write_section_file(const std::string& path, const SectionFile& file);
// Maps and checks a file: magic, version, header checksum, file size, section bounds, and with
// `verify_sections` every section's CRC32C (reading the whole file; without it, opening costs
// the header only). Errors name the file and the section.
Result<SectionFile> read_section_file(const std::string& path, bool verify_sections);

template <typename T>
Status SectionFile::get(const std::string& name, ArrayStore<T>* out, int64_t expected) const {
  auto it = sections.find(name);
  if (it == sections.end()) return data_loss("index file: section '" + name + "' is missing");
  const Section& section = it->second;
  if (section.size % sizeof(T) != 0 ||
      (expected >= 0 && section.size != static_cast<size_t>(expected) * sizeof(T))) {
    return data_loss("index file: section '" + name + "' has " + std::to_string(section.size) +
                     " bytes, which does not match the header");
  }
  out->view(reinterpret_cast<const T*>(section.data), section.size / sizeof(T), mapping);
  return Status::ok();
}

}  // namespace pixlake
