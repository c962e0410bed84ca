// The catalog: schema, image records with tags and metadata, models and embedding rows,
// failures, integrity checks.
#include "lake/catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace pixlake {
namespace {

namespace fs = std::filesystem;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pixlake_catalog_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto created = Catalog::create(path());
    ASSERT_TRUE(created.is_ok()) << created.status().message();
    catalog_.emplace(std::move(created).value());
  }
  void TearDown() override {
    catalog_.reset();
    fs::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "catalog.sqlite").string(); }

  static ImageRecord record(const std::string& path, const std::string& hash) {
    ImageRecord r;
    r.path = path;
    r.hash = hash;
    r.size_bytes = 1234;
    r.width = 640;
    r.height = 480;
    r.mtime = 1700000000;
    r.format = "jpeg";
    r.camera = "Canon EOS 5D";
    r.taken = 1600000000;
    r.gps_lat = 48.8566;
    r.gps_lon = 2.3522;
    r.added = 1700000100;
    r.tags = {"cat", "holiday"};
    r.meta = {{"album", "Paris"}, {"rating", "5"}};
    return r;
  }

  fs::path dir_;
  std::optional<Catalog> catalog_;
};

TEST_F(CatalogTest, InsertedRecordReadsBackWithEveryField) {
  auto id = catalog_->insert_image(record("/photos/a.jpg", "aa"));
  ASSERT_TRUE(id.is_ok()) << id.status().message();
  auto found = catalog_->find_by_path("/photos/a.jpg");
  ASSERT_TRUE(found.is_ok());
  ASSERT_TRUE(found->has_value());
  const ImageRecord& r = **found;
  EXPECT_EQ(r.id, *id);
  EXPECT_EQ(r.hash, "aa");
  EXPECT_EQ(r.size_bytes, 1234);
  EXPECT_EQ(r.width, 640);
  EXPECT_EQ(r.height, 480);
  EXPECT_EQ(r.camera, "Canon EOS 5D");
  ASSERT_TRUE(r.taken.has_value());
  EXPECT_EQ(*r.taken, 1600000000);
  EXPECT_DOUBLE_EQ(*r.gps_lat, 48.8566);
  EXPECT_EQ(r.tags, (std::vector<std::string>{"cat", "holiday"}));
  EXPECT_EQ(r.meta.at("album"), "Paris");
  auto by_hash = catalog_->find_by_hash("aa");
  ASSERT_TRUE(by_hash.is_ok());
  ASSERT_EQ(by_hash->size(), 1u);
  EXPECT_EQ(by_hash->front().path, "/photos/a.jpg");
}

TEST_F(CatalogTest, MissingOptionalFieldsStayNull) {
  ImageRecord r = record("/p/b.png", "bb");
  r.taken.reset();
  r.gps_lat.reset();
  r.gps_lon.reset();
  ASSERT_TRUE(catalog_->insert_image(r).is_ok());
  auto found = catalog_->find_by_path("/p/b.png");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_FALSE((*found)->taken.has_value());
  EXPECT_FALSE((*found)->gps_lat.has_value());
}

TEST_F(CatalogTest, DuplicatePathIsRefused) {
  ASSERT_TRUE(catalog_->insert_image(record("/p/a.jpg", "aa")).is_ok());
  auto again = catalog_->insert_image(record("/p/a.jpg", "bb"));
  EXPECT_FALSE(again.is_ok());
}

TEST_F(CatalogTest, TagsAndMetadataCanBeChanged) {
  auto id = catalog_->insert_image(record("/p/a.jpg", "aa"));
  ASSERT_TRUE(id.is_ok());
  ASSERT_TRUE(catalog_->add_tag(*id, "new").is_ok());
  ASSERT_TRUE(catalog_->add_tag(*id, "new").is_ok());  // idempotent
  ASSERT_TRUE(catalog_->remove_tag(*id, "cat").is_ok());
  ASSERT_TRUE(catalog_->set_meta(*id, "album", "Rome").is_ok());
  ASSERT_TRUE(catalog_->remove_meta(*id, "rating").is_ok());
  auto r = catalog_->find_by_id(*id);
  ASSERT_TRUE(r.is_ok() && r->has_value());
  EXPECT_EQ((*r)->tags, (std::vector<std::string>{"holiday", "new"}));
  EXPECT_EQ((*r)->meta.size(), 1u);
  EXPECT_EQ((*r)->meta.at("album"), "Rome");
}

TEST_F(CatalogTest, RemovingAnImageRemovesItsTagsMetaAndEmbeddingRows) {
  auto id = catalog_->insert_image(record("/p/a.jpg", "aa"));
  ASSERT_TRUE(id.is_ok());
  ASSERT_TRUE(catalog_->insert_model({"m", "embeddings/m.pxe", "layer", "", 4, 1, 0}).is_ok());
  ASSERT_TRUE(catalog_->set_embedding_row("m", *id, 0).is_ok());
  ASSERT_TRUE(catalog_->remove_image(*id).is_ok());
  auto rows = catalog_->embedding_rows("m");
  ASSERT_TRUE(rows.is_ok());
  EXPECT_TRUE(rows->empty());
  auto count = catalog_->db().prepare("SELECT count(*) FROM tags");
  ASSERT_TRUE(count.is_ok());
  ASSERT_TRUE(count->step().is_ok());
  EXPECT_EQ(count->column_int(0), 0);
  auto problems = catalog_->check();
  ASSERT_TRUE(problems.is_ok());
  EXPECT_TRUE(problems->empty());
}

TEST_F(CatalogTest, CheckReportsRowsPastTheCommittedCount) {
  auto id = catalog_->insert_image(record("/p/a.jpg", "aa"));
  ASSERT_TRUE(id.is_ok());
  ASSERT_TRUE(catalog_->insert_model({"m", "embeddings/m.pxe", "layer", "", 4, 1, 0}).is_ok());
  ASSERT_TRUE(catalog_->set_embedding_row("m", *id, 5).is_ok());
  auto problems = catalog_->check();
  ASSERT_TRUE(problems.is_ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE(problems->front().find("row 5"), std::string::npos) << problems->front();
}

TEST_F(CatalogTest, ImagesWithoutEmbeddingAreListedPerModel) {
  auto a = catalog_->insert_image(record("/p/a.jpg", "aa"));
  auto b = catalog_->insert_image(record("/p/b.jpg", "bb"));
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  ASSERT_TRUE(catalog_->insert_model({"m", "embeddings/m.pxe", "layer", "", 4, 1, 0}).is_ok());
  ASSERT_TRUE(catalog_->set_embedding_row("m", *a, 0).is_ok());
  auto missing = catalog_->images_without_embedding("m");
  ASSERT_TRUE(missing.is_ok());
  EXPECT_EQ(*missing, std::vector<int64_t>{*b});
}

TEST_F(CatalogTest, FailuresAreKeptByPathUntilCleared) {
  ASSERT_TRUE(catalog_->record_failure({"/p/bad.jpg", 10, 20, "truncated", 30}).is_ok());
  ASSERT_TRUE(catalog_->record_failure({"/p/bad.jpg", 11, 21, "still truncated", 31}).is_ok());
  auto failures = catalog_->failures();
  ASSERT_TRUE(failures.is_ok());
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ(failures->front().error, "still truncated");
  ASSERT_TRUE(catalog_->clear_failure("/p/bad.jpg").is_ok());
  EXPECT_TRUE(catalog_->failures()->empty());
}

TEST_F(CatalogTest, ReopensAndRefusesANewerSchema) {
  ASSERT_TRUE(catalog_->insert_image(record("/p/a.jpg", "aa")).is_ok());
  catalog_.reset();
  {
    auto reopened = Catalog::open(path());
    ASSERT_TRUE(reopened.is_ok()) << reopened.status().message();
    EXPECT_EQ(reopened->count_images().value(), 1);
    ASSERT_TRUE(reopened->db().exec("PRAGMA user_version=99").is_ok());
  }
  auto newer = Catalog::open(path());
  ASSERT_FALSE(newer.is_ok());
  EXPECT_NE(newer.status().message().find("schema version 99"), std::string::npos);
}

TEST_F(CatalogTest, RefusesAFileThatIsNotACatalog) {
  std::string other = (dir_ / "other.sqlite").string();
  {
    FILE* f = std::fopen(other.c_str(), "w");
    std::fputs("this is not a database at all, just text that is long enough", f);
    std::fclose(f);
  }
  auto opened = Catalog::open(other);
  ASSERT_FALSE(opened.is_ok());
  EXPECT_NE(opened.status().message().find(other), std::string::npos) << opened.status().message();
  EXPECT_FALSE(Catalog::open((dir_ / "absent.sqlite").string()).is_ok());
}

TEST_F(CatalogTest, UncommittedTransactionLeavesNoTrace) {
  {
    auto tx = catalog_->begin();
    ASSERT_TRUE(tx.is_ok());
    ASSERT_TRUE(catalog_->insert_image(record("/p/a.jpg", "aa")).is_ok());
    // No commit: the destructor rolls back.
  }
  EXPECT_EQ(catalog_->count_images().value(), 0);
}

}  // namespace
}  // namespace pixlake

namespace pixlake {
namespace {

class CatalogCurationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pixlake_catalog_curation_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "catalog.sqlite").string(); }
  static ImageRecord image(const std::string& path) {
    ImageRecord r;
    r.path = path;
    r.hash = "h" + path;
    r.format = "jpeg";
    return r;
  }
  std::filesystem::path dir_;
};

TEST_F(CatalogCurationTest, HashesAndVerdictsRoundTripAndFollowTheirImage) {
  auto catalog = Catalog::create(path());
  ASSERT_TRUE(catalog.is_ok()) << catalog.status().message();
  auto a = catalog->insert_image(image("/a.jpg"));
  auto b = catalog->insert_image(image("/b.jpg"));
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  PerceptualHashes h{0x8000000000000001ull, 2, 0xffffffffffffffffull, 4, 5};
  ASSERT_TRUE(catalog->set_hashes(*a, h).is_ok());
  auto missing = catalog->images_without_hashes();
  ASSERT_TRUE(missing.is_ok());
  EXPECT_EQ(*missing, std::vector<int64_t>{*b});
  auto all = catalog->all_hashes();
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].second.ahash, h.ahash);  // the top bit survives the signed column
  EXPECT_EQ((*all)[0].second.phash, h.phash);
  EXPECT_EQ((*all)[0].second.phash_mirror, 4u);
  EXPECT_EQ((*all)[0].second.phash_centre, 5u);

  ASSERT_TRUE(catalog->set_dup_verdict(*b, *a, false).is_ok());
  EXPECT_FALSE(catalog->set_dup_verdict(*a, *a, true).is_ok());
  auto verdicts = catalog->dup_verdicts();
  ASSERT_TRUE(verdicts.is_ok());
  ASSERT_EQ(verdicts->size(), 1u);
  EXPECT_EQ((*verdicts)[0].a, *a);
  EXPECT_EQ((*verdicts)[0].b, *b);
  EXPECT_FALSE((*verdicts)[0].duplicate);

  ASSERT_TRUE(catalog->remove_image(*a).is_ok());
  EXPECT_TRUE(catalog->all_hashes()->empty());
  EXPECT_TRUE(catalog->dup_verdicts()->empty());
}

TEST_F(CatalogCurationTest, VersionOneCatalogIsUpgradedByAWriterOnly) {
  {
    auto catalog = Catalog::create(path());
    ASSERT_TRUE(catalog.is_ok());
    ASSERT_TRUE(catalog->db()
                    .exec("DROP TABLE image_hashes; DROP TABLE dup_verdicts; "
                          "PRAGMA user_version=1;")
                    .is_ok());
  }
  {
    auto reader = Catalog::open(path(), /*read_only=*/true);
    ASSERT_TRUE(reader.is_ok()) << reader.status().message();
    EXPECT_FALSE(reader->all_hashes().is_ok());  // no table yet, and a reader does not add it
  }
  auto writer = Catalog::open(path());
  ASSERT_TRUE(writer.is_ok()) << writer.status().message();
  auto all = writer->all_hashes();
  ASSERT_TRUE(all.is_ok()) << all.status().message();
  EXPECT_TRUE(all->empty());
  auto stmt = writer->db().prepare("PRAGMA user_version");
  ASSERT_TRUE(stmt.is_ok());
  auto stepped = stmt->step();
  ASSERT_TRUE(stepped.is_ok() && *stepped);
  EXPECT_EQ(stmt->column_int(0), Catalog::kSchemaVersion);
}

}  // namespace
}  // namespace pixlake
