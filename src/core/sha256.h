// SHA-256 (FIPS 180-4), used to verify downloaded model files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "pixlake/status.h"

namespace pixlake {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  std::string hex_digest();  // finishes the hash; call once

 private:
  void compress(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffer_size_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_hex(const std::string& bytes);
Result<std::string> sha256_file(const std::string& path);

}  // namespace pixlake
