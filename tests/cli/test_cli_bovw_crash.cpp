// kill -9 during `pixlake bovw train` / `pixlake bovw`, at random moments: after each kill the
// lake must pass `pixlake check`, and finishing the job must leave every image exactly one
// bovw row.
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

bool has_bovw_model(const fs::path& lake) {
  CommandResult info = pixlake("info " + quote(lake.string()));
  return info.out.find("model       bovw:") != std::string::npos;
}

// `bovw train` until the model is registered, then `bovw` (what a user does after a crash).
pid_t spawn_bovw(const fs::path& lake) {
  if (has_bovw_model(lake)) return spawn_pixlake({"bovw", lake.string(), "--jobs", "2"});
  return spawn_pixlake({"bovw", "train", lake.string(), "--words", "16", "--jobs", "2"});
}

TEST(SlowBovwCrash, KillNineDuringTrainingNeverCorruptsTheLake) {
  PIXLAKE_REQUIRE_LAKE_DATA();
  fs::path root = temp_dir("bovw_crash");
  fs::path photos = root / "photos";
  fs::path lake = root / "lake";
  copy_caltech_sample(photos, 10);  // 30 images
  ASSERT_EQ(pixlake("init " + quote(lake.string())).exit_code, 0);
  ASSERT_EQ(pixlake("add " + quote(lake.string()) + " " + quote(photos.string())).exit_code, 0);
  const fs::path pristine = root / "pristine";
  fs::copy(lake, pristine, fs::copy_options::recursive);

  // Kill delays span one uninterrupted train, timed on a copy.
  const fs::path scratch = root / "scratch";
  fs::copy(pristine, scratch, fs::copy_options::recursive);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(pixlake("bovw train " + quote(scratch.string()) + " --words 16").exit_code, 0);
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> delay_ms(5, std::max(20, static_cast<int>(full_ms * 9 / 10)));
  int kills = 0;
  for (int round = 0; round < 60 && kills < 12; ++round) {
    pid_t pid = spawn_bovw(lake);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    int status = 0;
    bool finished = ::waitpid(pid, &status, WNOHANG) != 0;
    if (!finished) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ++kills;
    }
    CommandResult check = pixlake("check " + quote(lake.string()));
    ASSERT_EQ(check.exit_code, 0) << "after round " << round << ": " << check.err;
    if (finished) {
      // All done: start again from the ingested lake so later kills land mid-training.
      fs::remove_all(lake);
      fs::copy(pristine, lake, fs::copy_options::recursive);
    }
  }
  std::printf("%d kills; an uninterrupted train took %lld ms\n", kills,
              static_cast<long long>(full_ms));
  ASSERT_GE(kills, 10);

  // Finish the job the way the error messages say, then every image has one bovw row.
  CommandResult finish = has_bovw_model(lake)
                             ? pixlake("bovw " + quote(lake.string()))
                             : pixlake("bovw train " + quote(lake.string()) + " --words 16");
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  ASSERT_EQ(pixlake("check " + quote(lake.string())).exit_code, 0);
  const std::string out = (root / "bovw.npy").string();
  CommandResult exported =
      pixlake("export " + quote(lake.string()) + " --model bovw -o " + quote(out));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::ifstream paths(out + ".paths.txt");
  std::multiset<std::string> seen;
  for (std::string line; std::getline(paths, line);) seen.insert(line);
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 30u) << "each image once";
  fs::remove_all(root);
}

}  // namespace
}  // namespace pixlake::testing
