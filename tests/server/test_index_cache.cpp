// LakeIndexCache: the server's searches reuse an opened index until its file is replaced.
#include "lake/lake_index.h"
#include "server_fixture.h"
#include "service/index_cache.h"
#include "service/lake_service.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

TEST(LakeIndexCache, ReopensOnlyWhenTheFileIsReplaced) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  fs::path dir = server_fixture::copy_template_lake("index_cache");
  auto lake = Lake::open(dir.string(), Lake::Access::kWrite);
  ASSERT_TRUE(lake.is_ok()) << lake.status().message();
  auto model = (*lake)->resolve_model_name("");
  ASSERT_TRUE(model.is_ok());
  LakeIndexCache cache;
  auto none = cache.get(**lake, *model);
  ASSERT_TRUE(none.is_ok());
  EXPECT_EQ(none->get(), nullptr);

  ASSERT_TRUE(update_lake_index(**lake, *model, {.factory = "HNSW8", .threads = 1}).is_ok());
  auto first = cache.get(**lake, *model);
  ASSERT_TRUE(first.is_ok());
  ASSERT_NE(first->get(), nullptr);
  EXPECT_EQ(cache.get(**lake, *model)->get(), first->get());  // kept

  ASSERT_TRUE(update_lake_index(**lake, *model, {.factory = "HNSW8", .threads = 1, .rebuild = true})
                  .is_ok());
  auto second = cache.get(**lake, *model);
  ASSERT_TRUE(second.is_ok());
  EXPECT_NE(second->get(), first->get());  // a new file: opened again

  // Searches through the cache agree with searches that open the index themselves.
  SearchRequest request;
  request.id = 2;
  request.k = 5;
  auto cached = search_lake(**lake, request, &cache);
  auto plain = search_lake(**lake, request);
  ASSERT_TRUE(cached.is_ok() && plain.is_ok());
  ASSERT_EQ(cached->size(), plain->size());
  for (size_t i = 0; i < plain->size(); ++i) EXPECT_EQ((*cached)[i].id, (*plain)[i].id);
  lake->reset();
  fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace pixlake::testing
