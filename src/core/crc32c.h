// CRC32C (Castagnoli polynomial, as in iSCSI, ext4, LevelDB): the checksum of the files pixlake
// writes. Software slicing-by-8, about 1-2 GB/s: enough for verifying embedding files, where
// inference, not checksumming, is the bottleneck.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pixlake {

// Extends `crc` (the value returned for the bytes before) over `size` more bytes. Start with 0:
// crc32c_extend(crc32c_extend(0, a, n), b, m) == crc32c of a followed by b.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size);

inline uint32_t crc32c(const void* data, size_t size) { return crc32c_extend(0, data, size); }

}  // namespace pixlake
