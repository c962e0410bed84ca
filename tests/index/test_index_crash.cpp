// kill -9 while an index is being written: the file at the target path must always be a whole
// index (the one before or the one being written) that loads and answers correctly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "index_test_data.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

TEST(IndexCrash, KillDuringSaveLeavesAWholeIndex) {
  const fs::path dir =
      fs::temp_directory_path() / ("pixlake_index_crash_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "i.pxi").string();
  const int dim = 64;
  const int64_t n = 4000;
  const auto base = clustered(n, dim, 20, 9);
  const auto ids = iota_labels(n);
  auto index = make_index("HNSW16,SQ8", dim, Metric::kL2);
  ASSERT_TRUE(index.is_ok());
  ASSERT_TRUE((*index)->add(n / 2, base.data(), ids.data()).is_ok());
  ASSERT_TRUE((*index)->save(path).is_ok());
  ASSERT_TRUE((*index)->add(n / 2, base.data() + n / 2 * dim, ids.data() + n / 2).is_ok());

  std::mt19937 rng(7);
  int kills = 0;
  for (int round = 0; round < 25; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Saves the larger index over and over until killed.
      for (;;) {
        if (!(*index)->save(path).is_ok()) ::_exit(3);
      }
    }
    ::usleep(1000 + rng() % 40000);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed instead of being killed";
    ++kills;
    auto loaded = load_index(path);
    ASSERT_TRUE(loaded.is_ok()) << "after kill " << kills << ": " << loaded.status().message();
    const int64_t size = (*loaded)->size();
    ASSERT_TRUE(size == n / 2 || size == n) << size;
    // Whichever version it is, it answers like one: each of its vectors finds itself.
    int misses = 0;
    for (int64_t row = 0; row < size; row += 50) {
      float d;
      int64_t l;
      ASSERT_TRUE((*loaded)->search(1, base.data() + row * dim, 1, &d, &l).is_ok());
      misses += l != row ? 1 : 0;
    }
    EXPECT_LE(misses, 1) << "after kill " << kills;
  }
  EXPECT_GE(kills, 20);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pixlake::testing
