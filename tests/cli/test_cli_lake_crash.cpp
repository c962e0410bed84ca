// kill -9 during `pixlake add`, many times at random moments: after each kill the lake must
// open and pass `pixlake check`, and a final `add` must leave every image in it exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "lake_fixture.h"

namespace pixlake::testing {
namespace {

using namespace lake_fixture;

pid_t spawn_add(const fs::path& lake, const fs::path& photos) {
  return spawn_pixlake({"add", lake.string(), photos.string(), "--batch", "3", "--jobs", "2"});
}

TEST(SlowLakeCrash, KillNineDuringAddNeverCorruptsTheLake) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  fs::path root = temp_dir("lake_crash");
  fs::path photos = root / "photos";
  fs::path lake = root / "lake";
  copy_caltech_sample(photos, 10);  // 30 images
  ASSERT_EQ(pixlake("init " + quote(lake.string())).exit_code, 0);

  // Kill delays span one uninterrupted add, timed here on a scratch lake: from "while loading
  // the model" to "in the last batches", however fast this machine ingests.
  const fs::path scratch = root / "scratch";
  ASSERT_EQ(pixlake("init " + quote(scratch.string())).exit_code, 0);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(pixlake("add " + quote(scratch.string()) + " " + quote(photos.string())).exit_code, 0);
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> delay_ms(5, std::max(20, static_cast<int>(full_ms * 9 / 10)));
  int kills = 0;
  int finished_early = 0;
  for (int round = 0; round < 100 && kills < 24; ++round) {
    pid_t pid = spawn_add(lake, photos);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ++kills;
    } else {
      ++finished_early;
    }
    CommandResult check = pixlake("check " + quote(lake.string()));
    ASSERT_EQ(check.exit_code, 0) << "after round " << round << ": " << check.err;
    if (finished_early > 0) {
      // Everything is in: start over with a fresh lake so that later kills land mid-ingest.
      fs::remove_all(lake);
      ASSERT_EQ(pixlake("init " + quote(lake.string())).exit_code, 0);
      finished_early = 0;
    }
  }
  std::printf("%d kills; an uninterrupted add took %lld ms\n", kills,
              static_cast<long long>(full_ms));
  ASSERT_GE(kills, 20);

  CommandResult add = pixlake("add " + quote(lake.string()) + " " + quote(photos.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  ASSERT_EQ(pixlake("check " + quote(lake.string())).exit_code, 0);
  std::string out = (root / "all.npy").string();
  CommandResult exported = pixlake("export " + quote(lake.string()) + " -o " + quote(out));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::ifstream paths(out + ".paths.txt");
  std::multiset<std::string> seen;
  for (std::string line; std::getline(paths, line);) seen.insert(line);
  std::set<std::string> expected;
  for (const auto& entry : fs::recursive_directory_iterator(photos)) {
    if (entry.is_regular_file()) expected.insert(entry.path().string());
  }
  EXPECT_EQ(seen.size(), expected.size()) << "every image exactly once";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  fs::remove_all(root);
}

}  // namespace
}  // namespace pixlake::testing
