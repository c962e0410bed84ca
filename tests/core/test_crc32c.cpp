#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crc32c.h"

namespace pixlake {
namespace {

// Reference values: RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("", 0), 0u);
  EXPECT_EQ(crc32c("123456789", 9), 0xe3069283u);
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xff), up(32), down(32);
  for (int i = 0; i < 32; ++i) {
    up[i] = static_cast<uint8_t>(i);
    down[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(crc32c(zeros.data(), 32), 0x8a9136aau);
  EXPECT_EQ(crc32c(ones.data(), 32), 0x62a8ab43u);
  EXPECT_EQ(crc32c(up.data(), 32), 0x46dd794eu);
  EXPECT_EQ(crc32c(down.data(), 32), 0x113fdb5cu);
}

// The slicing-by-8 loop and the byte tail must agree wherever the split falls.
TEST(Crc32c, ExtendMatchesOneShotAtEverySplit) {
  std::string text = "The quick brown fox jumps over the lazy dog, twice or thrice.";
  const uint32_t whole = crc32c(text.data(), text.size());
  for (size_t split = 0; split <= text.size(); ++split) {
    uint32_t crc = crc32c_extend(0, text.data(), split);
    crc = crc32c_extend(crc, text.data() + split, text.size() - split);
    EXPECT_EQ(crc, whole) << "split at " << split;
  }
}

}  // namespace
}  // namespace pixlake
