#include <gtest/gtest.h>

#include <cstring>

#include "core/crc32c.h"
#include "embedding_test_util.h"
#include "lake/embedding_format.h"

namespace pixlake {
namespace {

using Bytes = std::array<uint8_t, kEmbeddingHeaderSize>;

void store_u32(Bytes& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
// After editing a field, make the checksum right again so the field check itself is reached.
void reseal(Bytes& b) { store_u32(b, 508, crc32c(b.data(), 508)); }

Result<EmbeddingStoreHeader> decode(const Bytes& b) {
  return decode_embedding_header(b.data(), b.size(), "x.pxe");
}

void expect_error(const Result<EmbeddingStoreHeader>& r, StatusCode code, const std::string& text) {
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), code) << r.status().message();
  EXPECT_NE(r.status().message().find(text), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'x.pxe'"), std::string::npos) << r.status().message();
}

TEST(EmbeddingFormat, RowLayoutKeepsVectorsAlignedAndIdAfterThem) {
  struct Case {
    int32_t dim;
    uint32_t id_offset, stride;
  };
  for (Case c : {Case{1, 8, 64}, Case{3, 16, 64}, Case{4, 16, 64}, Case{5, 24, 64},
                 Case{12, 48, 64}, Case{13, 56, 128}, Case{14, 56, 128}, Case{16, 64, 128},
                 Case{512, 2048, 2112}, Case{1280, 5120, 5184}}) {
    auto layout = embedding_row_layout(c.dim, EmbeddingDType::kF32);
    EXPECT_EQ(layout.vector_bytes, static_cast<uint32_t>(c.dim) * 4) << c.dim;
    EXPECT_EQ(layout.id_offset, c.id_offset) << c.dim;
    EXPECT_EQ(layout.checksum_offset, c.id_offset + 8) << c.dim;
    EXPECT_EQ(layout.stride, c.stride) << c.dim;
  }
}

TEST(EmbeddingFormat, HeaderRoundTrips) {
  auto h = testing::test_header(1280);
  h.generation = 3;
  h.layer = std::string(255, 'L');  // longest that fits
  Bytes b = encode_embedding_header(h);
  EXPECT_EQ(std::memcmp(b.data(), "PXLKEMB\0", 8), 0);
  auto r = decode(b);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->model, h.model);
  EXPECT_EQ(r->layer, h.layer);
  EXPECT_EQ(r->model_sha256, h.model_sha256);
  EXPECT_EQ(r->dim, 1280);
  EXPECT_EQ(r->created_unix, h.created_unix);
  EXPECT_EQ(r->generation, 3u);
}

TEST(EmbeddingFormat, EveryHeaderByteIsCoveredByTheChecksum) {
  const Bytes good = encode_embedding_header(testing::test_header(4));
  for (size_t i = 16; i < kEmbeddingHeaderSize; ++i) {  // past magic, version and header size
    Bytes b = good;
    b[i] ^= 0x40;
    auto r = decode(b);
    ASSERT_FALSE(r.is_ok()) << "byte " << i;
    EXPECT_NE(r.status().message().find("header_crc32c"), std::string::npos) << "byte " << i;
  }
}

TEST(EmbeddingFormat, FieldChecksNameTheField) {
  const Bytes good = encode_embedding_header(testing::test_header(4));
  Bytes b = good;
  store_u32(b, 16, 9);
  reseal(b);
  expect_error(decode(b), StatusCode::kDataLoss, "'dtype'");
  b = good;
  store_u32(b, 16, static_cast<uint32_t>(EmbeddingDType::kF16));
  reseal(b);
  expect_error(decode(b), StatusCode::kUnsupported, "f16");
  b = good;
  store_u32(b, 20, 0);
  reseal(b);
  expect_error(decode(b), StatusCode::kDataLoss, "'dim'");
  b = good;
  store_u32(b, 24, 128);
  reseal(b);
  expect_error(decode(b), StatusCode::kDataLoss, "'row_stride'");
  b = good;
  store_u32(b, 28, 24);
  reseal(b);
  expect_error(decode(b), StatusCode::kDataLoss, "'row_id_offset'");
  b = good;
  std::memset(b.data() + 80, 'm', 64);  // model name without its NUL
  reseal(b);
  expect_error(decode(b), StatusCode::kDataLoss, "'model'");
  b = good;
  store_u32(b, 12, 1024);
  expect_error(decode(b), StatusCode::kDataLoss, "'header_size'");
  b = good;
  store_u32(b, 8, 0);
  expect_error(decode(b), StatusCode::kDataLoss, "'version'");
  expect_error(decode_embedding_header(good.data(), 300, "x.pxe"), StatusCode::kDataLoss,
               "header needs 512");
}

TEST(EmbeddingFormat, RowChecksumCoversVectorAndId) {
  auto layout = embedding_row_layout(5, EmbeddingDType::kF32);
  const float v[5] = {1, -2, 3.5f, 0, 1e-30f};
  std::vector<uint8_t> row(layout.stride, 0xee);
  encode_embedding_row(layout, -42, v, row.data());
  EXPECT_TRUE(embedding_row_checksum_ok(layout, row.data()));
  for (size_t i = 0; i < layout.checksum_offset; ++i) {
    auto bad = row;
    bad[i] ^= 1;
    EXPECT_FALSE(embedding_row_checksum_ok(layout, bad.data())) << "byte " << i;
  }
  for (size_t i = layout.checksum_offset + 4; i < layout.stride; ++i)
    EXPECT_EQ(row[i], 0) << "padding byte " << i;
}

}  // namespace
}  // namespace pixlake
