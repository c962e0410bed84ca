// Every field and operator on three hand-made records, checked against expected ids through
// filter_matches and, for the same expression, through filter_to_sql on SQLite.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "catalog_test_db.h"
#include "lake/filter.h"
#include "lake/filter_date.h"
#include "lake/filter_sql.h"

namespace pixlake {
namespace {

std::vector<ImageRecord> sample_records() {
  ImageRecord cat;
  cat.id = 1;
  cat.path = "/photos/2023/Cat Nap.JPG";
  cat.hash = "ab12";
  cat.size_bytes = 2 * 1024 * 1024;
  cat.width = 4000;
  cat.height = 3000;
  cat.mtime = 1682942400;  // 2023-05-01 12:00:00
  cat.format = "jpeg";
  cat.camera = "Canon EOS R5";
  cat.taken = 1682842500;  // 2023-04-30 08:15:00
  cat.gps_lat = 48.8566;
  cat.gps_lon = 2.3522;
  cat.added = 1683018000;  // 2023-05-02 09:00:00
  cat.tags = {"cat", "label:tabby", "outdoor"};
  cat.meta = {{"rating", "5"}, {"author", "O'Brien"}};

  ImageRecord dog;
  dog.id = 2;
  dog.path = "/photos/dog.png";
  dog.hash = "cd34";
  dog.size_bytes = 500 * 1024;
  dog.width = 1000;
  dog.height = 1000;
  dog.mtime = 1672531199;  // 2022-12-31 23:59:59
  dog.format = "png";
  dog.added = 1672531199;
  dog.tags = {"dog", "label:golden retriever"};

  ImageRecord odd;
  odd.id = 3;
  odd.path = "/photos/misc/.hidden";
  odd.hash = "ef56";
  odd.size_bytes = 10;
  odd.width = 10;
  odd.height = 0;          // no aspect
  odd.mtime = 1704067200;  // 2024-01-01 00:00:00
  odd.format = "gif";
  odd.camera = "Pixel 7";
  odd.taken = 1682899200;  // 2023-05-01 00:00:00, the first second of the day
  odd.gps_lat = -33.5;
  odd.gps_lon = std::numeric_limits<double>::quiet_NaN();  // stored as NULL by SQLite
  odd.added = 1704067200;
  odd.meta = {{"rating", "10"}};
  return {cat, dog, odd};
}

class FilterEval : public ::testing::Test {
 protected:
  void SetUp() override {
    records_ = sample_records();
    for (const ImageRecord& r : records_) db_.insert(r);
  }

  // Ids that match, by the evaluator; checks that SQLite selects the same ones.
  std::set<int64_t> ids(std::string_view text) {
    auto filter = parse_filter(text);
    EXPECT_TRUE(filter.is_ok()) << filter.status().message();
    if (!filter.is_ok()) return {-1};
    std::set<int64_t> out;
    for (const ImageRecord& r : records_) {
      if (filter_matches(*filter, r)) out.insert(r.id);
    }
    SqlFragment sql = filter_to_sql(*filter);
    EXPECT_EQ(db_.select_ids(sql), out) << text << "\n" << sql.sql;
    return out;
  }

  std::vector<ImageRecord> records_;
  testing::CatalogTestDb db_;
};

using Ids = std::set<int64_t>;

TEST_F(FilterEval, Id) {
  EXPECT_EQ(ids("id = 2"), Ids({2}));
  EXPECT_EQ(ids("id == 2"), Ids({2}));
  EXPECT_EQ(ids("id != 2"), Ids({1, 3}));
  EXPECT_EQ(ids("id <> 2"), Ids({1, 3}));
  EXPECT_EQ(ids("id < 2"), Ids({1}));
  EXPECT_EQ(ids("id <= 2"), Ids({1, 2}));
  EXPECT_EQ(ids("id > 2"), Ids({3}));
  EXPECT_EQ(ids("id >= 2"), Ids({2, 3}));
  EXPECT_EQ(ids("id IN (1, 3, 99)"), Ids({1, 3}));
  EXPECT_EQ(ids("id NOT IN (1)"), Ids({2, 3}));
  EXPECT_EQ(ids("id > 1.5"), Ids({2, 3}));  // integers compare exactly with decimals
  EXPECT_EQ(ids("id = 2.0"), Ids({2}));
  EXPECT_EQ(ids("id < -1"), Ids());
}

TEST_F(FilterEval, PathNameExtFormatHash) {
  EXPECT_EQ(ids("path ~ '/photos/*'"), Ids({1, 2, 3}));
  EXPECT_EQ(ids("path GLOB '/photos/*/*'"), Ids({1, 3}));
  EXPECT_EQ(ids("path = '/photos/dog.png'"), Ids({2}));
  EXPECT_EQ(ids("name = 'Cat Nap.JPG'"), Ids({1}));
  EXPECT_EQ(ids("name ~ 'cat*'"), Ids());  // case-sensitive
  EXPECT_EQ(ids("name ~ '[Cc]at*'"), Ids({1}));
  EXPECT_EQ(ids("name !~ '*.png'"), Ids({1, 3}));
  EXPECT_EQ(ids("name NOT GLOB '*.png'"), Ids({1, 3}));
  EXPECT_EQ(ids("name = '.hidden'"), Ids({3}));
  EXPECT_EQ(ids("ext = 'jpg'"), Ids({1}));  // lowercased
  EXPECT_EQ(ids("ext IN ('png', 'gif')"), Ids({2}));
  EXPECT_EQ(ids("ext = ''"), Ids({3}));  // a leading dot is not an extension
  EXPECT_EQ(ids("format IN ('jpeg', 'gif')"), Ids({1, 3}));
  EXPECT_EQ(ids("hash = 'cd34'"), Ids({2}));
  EXPECT_EQ(ids("hash > 'b'"), Ids({2, 3}));  // text orders by bytes
}

TEST_F(FilterEval, SizesAndDimensions) {
  EXPECT_EQ(ids("size > 1MB"), Ids({1}));
  EXPECT_EQ(ids("size >= 500KB"), Ids({1, 2}));
  EXPECT_EQ(ids("size = 512000"), Ids({2}));
  EXPECT_EQ(ids("size < 1kb"), Ids({3}));
  EXPECT_EQ(ids("size <= 0.0019GB"), Ids({2, 3}));  // 0.0019 * 2^30 = 2040109.4656 bytes
  EXPECT_EQ(ids("width >= 1000 AND height >= 1000"), Ids({1, 2}));
  EXPECT_EQ(ids("pixels > 1000000"), Ids({1}));
  EXPECT_EQ(ids("pixels = 1000000"), Ids({2}));
  EXPECT_EQ(ids("pixels = 0"), Ids({3}));
  EXPECT_EQ(ids("aspect > 1"), Ids({1}));
  EXPECT_EQ(ids("aspect = 1"), Ids({2}));
  EXPECT_EQ(ids("aspect > 1.3333"), Ids({1}));
  EXPECT_EQ(ids("aspect < 1.3334"), Ids({1, 2}));
  EXPECT_EQ(ids("aspect != 1"), Ids({1}));  // a missing aspect fails != too
  EXPECT_EQ(ids("aspect IS NULL"), Ids({3}));
  EXPECT_EQ(ids("NOT aspect = 1"), Ids({1, 3}));
}

TEST_F(FilterEval, Dates) {
  EXPECT_EQ(ids("mtime < '2023-01-01'"), Ids({2}));
  EXPECT_EQ(ids("mtime = '2023-05-01'"), Ids({1}));  // a date is its whole day
  EXPECT_EQ(ids("mtime <= '2022-12-31'"), Ids({2}));
  EXPECT_EQ(ids("mtime > '2023-12-31'"), Ids({3}));
  EXPECT_EQ(ids("mtime >= '2023-05-01' AND mtime < '2024-01-01'"), Ids({1}));
  EXPECT_EQ(ids("mtime = '2023-05-01 12:00:00'"), Ids({1}));
  EXPECT_EQ(ids("mtime = '2023-05-01T12:00:01'"), Ids());
  EXPECT_EQ(ids("mtime = 1704067200"), Ids({3}));
  EXPECT_EQ(ids("taken = '2023-04-30'"), Ids({1}));
  EXPECT_EQ(ids("taken = '2023-05-01'"), Ids({3}));
  EXPECT_EQ(ids("taken <= '2023-04-30'"), Ids({1}));
  EXPECT_EQ(ids("taken > '2023-04-30'"), Ids({3}));
  EXPECT_EQ(ids("taken >= '2023-05-01'"), Ids({3}));
  EXPECT_EQ(ids("taken < '2023-05-01'"), Ids({1}));
  EXPECT_EQ(ids("taken IN ('2023-04-30', '2023-05-01 00:00:00')"), Ids({1, 3}));
  EXPECT_EQ(ids("taken NOT IN ('2023-04-30')"), Ids({3}));
  EXPECT_EQ(ids("taken != '2023-04-30'"), Ids({3}));  // a missing date fails != too
  EXPECT_EQ(ids("NOT taken = '2023-04-30'"), Ids({2, 3}));
  EXPECT_EQ(ids("taken IS NULL"), Ids({2}));
  EXPECT_EQ(ids("taken IS NOT NULL"), Ids({1, 3}));
  EXPECT_EQ(ids("added >= '2023-05-02'"), Ids({1, 3}));
}

TEST_F(FilterEval, CameraAndGps) {
  EXPECT_EQ(ids("camera = 'Canon EOS R5'"), Ids({1}));
  EXPECT_EQ(ids("camera ~ '*Pixel*'"), Ids({3}));
  EXPECT_EQ(ids("camera IS NULL"), Ids({2}));  // empty counts as missing
  EXPECT_EQ(ids("camera = ''"), Ids());
  EXPECT_EQ(ids("camera != 'Pixel 7'"), Ids({1}));
  EXPECT_EQ(ids("lat > 0"), Ids({1}));
  EXPECT_EQ(ids("lat < 0"), Ids({3}));
  EXPECT_EQ(ids("lat = 48.8566"), Ids({1}));
  EXPECT_EQ(ids("lat = -33.5"), Ids({3}));
  EXPECT_EQ(ids("lat IS NULL"), Ids({2}));
  EXPECT_EQ(ids("lon IS NULL"), Ids({2, 3}));  // NaN is missing
  EXPECT_EQ(ids("lon >= 2.3522"), Ids({1}));
}

TEST_F(FilterEval, TagsAreSets) {
  EXPECT_EQ(ids("tag = 'cat'"), Ids({1}));
  EXPECT_EQ(ids("tag != 'cat'"), Ids({2, 3}));  // "has no tag 'cat'", untagged included
  EXPECT_EQ(ids("tag ~ 'label:*'"), Ids({1, 2}));
  EXPECT_EQ(ids("tag !~ 'label:*'"), Ids({3}));
  EXPECT_EQ(ids("tag IN ('dog', 'outdoor')"), Ids({1, 2}));
  EXPECT_EQ(ids("tag NOT IN ('dog', 'outdoor')"), Ids({3}));
  EXPECT_EQ(ids("tag = 'cat' AND tag = 'outdoor'"), Ids({1}));
  EXPECT_EQ(ids("tag > 'n'"), Ids({1}));  // some tag sorts after 'n': 'outdoor'
  EXPECT_EQ(ids("tag IS NULL"), Ids({3}));
  EXPECT_EQ(ids("tag IS NOT NULL"), Ids({1, 2}));
  EXPECT_EQ(ids("label = 'tabby'"), Ids({1}));
  EXPECT_EQ(ids("label = 'label:tabby'"), Ids());
  EXPECT_EQ(ids("label ~ 'golden*'"), Ids({2}));
  EXPECT_EQ(ids("label != 'tabby'"), Ids({2, 3}));
  EXPECT_EQ(ids("label IS NULL"), Ids({3}));
}

TEST_F(FilterEval, Meta) {
  EXPECT_EQ(ids("meta.rating = '5'"), Ids({1}));
  EXPECT_EQ(ids("meta.rating > '2'"), Ids({1}));   // text: '10' < '2'
  EXPECT_EQ(ids("meta.rating != '5'"), Ids({3}));  // a missing key fails != too
  EXPECT_EQ(ids("NOT meta.rating = '5'"), Ids({2, 3}));
  EXPECT_EQ(ids("meta.rating IS NULL"), Ids({2}));
  EXPECT_EQ(ids("meta.rating IS NOT NULL"), Ids({1, 3}));
  EXPECT_EQ(ids("meta.author = 'O\\'Brien'"), Ids({1}));
  EXPECT_EQ(ids("meta.author = \"O'Brien\""), Ids({1}));
  EXPECT_EQ(ids("meta.author ~ 'O*'"), Ids({1}));
  EXPECT_EQ(ids("meta.Rating = '5'"), Ids());  // keys are case-sensitive
  EXPECT_EQ(ids("meta.rating IN ('10', '5')"), Ids({1, 3}));
  EXPECT_EQ(ids("meta.rating NOT IN ('10')"), Ids({1}));
}

TEST_F(FilterEval, PrecedenceIsNotThenAndThenOr) {
  EXPECT_EQ(ids("id = 1 OR id = 2 AND id = 3"), Ids({1}));
  EXPECT_EQ(ids("(id = 1 OR id = 2) AND id = 3"), Ids());
  EXPECT_EQ(ids("NOT id = 1 AND id = 2"), Ids({2}));
  EXPECT_EQ(ids("NOT (id = 1 AND id = 2)"), Ids({1, 2, 3}));
  EXPECT_EQ(ids("NOT (id = 1 OR id = 2)"), Ids({3}));
  EXPECT_EQ(ids("id = 1 OR NOT id = 2 AND id = 3"), Ids({1, 3}));
  EXPECT_EQ(ids("NOT NOT id = 1"), Ids({1}));
  EXPECT_EQ(ids("((id = 1))"), Ids({1}));
}

TEST_F(FilterEval, SqlInjectionStaysData) {
  EXPECT_EQ(ids("name = 'x\\' OR 1=1 --'"), Ids());
  auto filter = parse_filter("meta.k = 'a\\'); DROP TABLE images; --'");
  ASSERT_TRUE(filter.is_ok()) << filter.status().message();
  SqlFragment sql = filter_to_sql(*filter);
  EXPECT_EQ(sql.sql.find("DROP"), std::string::npos);
  EXPECT_EQ(db_.select_ids(sql), Ids());
  EXPECT_EQ(ids("id > 0"), Ids({1, 2, 3}));  // the table is still there
}

TEST(FilterDate, ParsesAndRefuses) {
  EXPECT_EQ(parse_date_literal("1970-01-01")->seconds, 0);
  EXPECT_TRUE(parse_date_literal("1970-01-01")->whole_day);
  EXPECT_EQ(parse_date_literal("1969-12-31 23:59:59")->seconds, -1);
  EXPECT_EQ(parse_date_literal("9999-12-31 23:59:59")->seconds, 253402300799);
  EXPECT_FALSE(parse_date_literal("9999-12-31 23:59:59")->whole_day);
  EXPECT_EQ(parse_date_literal("2024-02-29")->seconds, 1709164800);
  EXPECT_FALSE(parse_date_literal("2023-02-29"));
  EXPECT_FALSE(parse_date_literal("1900-02-29"));
  EXPECT_FALSE(parse_date_literal("2023-13-01"));
  EXPECT_FALSE(parse_date_literal("2023-01-01 24:00:00"));
  EXPECT_FALSE(parse_date_literal("2023-1-01"));
  EXPECT_FALSE(parse_date_literal("2023-01-01 10:00"));
  EXPECT_FALSE(parse_date_literal(""));
}

TEST(FilterFields, TableMatchesEnum) {
  for (int k = 0; k <= static_cast<int>(FilterField::kMeta); ++k) {
    auto field = static_cast<FilterField>(k);
    EXPECT_EQ(field_info(field).field, field);
    if (field != FilterField::kMeta) {
      EXPECT_EQ(find_field(field_info(field).name), field);
    }
  }
  EXPECT_FALSE(find_field("meta"));
  EXPECT_EQ(find_field("TaKeN"), FilterField::kTaken);
}

}  // namespace
}  // namespace pixlake
