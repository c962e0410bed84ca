// `pixlake classify` on the shared photos: the top-1 class of every photo must be one a person
// would call right. Where ImageNet has no exact class (sunflower, an owl photographed from an
// angle that both models read as another bird), the accepted set is written out below.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "run_command.h"
#include "test_data.h"

namespace pixlake::testing {
namespace {

std::set<int> range(int first, int last) {
  std::set<int> s;
  for (int i = first; i <= last; ++i) s.insert(i);
  return s;
}

std::set<int> join(std::set<int> a, const std::set<int>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

// ImageNet-1k index ranges: birds 7-24, 80-100, 127-146; dogs 151-268; domestic cats 281-285.
const std::set<int> kBirds = join(join(range(7, 24), range(80, 100)), range(127, 146));
const std::set<int> kCats = range(281, 285);

const std::map<std::string, std::set<int>> kAccepted = {
    {"bird.bmp", kBirds},
    {"cat.bmp", kCats},
    {"cat_720p.jpg", kCats},
    {"cat_1080p.jpg", kCats},
    {"dragonfly.bmp", {319, 320}},               // dragonfly, damselfly
    {"grace_hopper.bmp", {457, 652, 834, 906}},  // bow tie, military uniform, suit, Windsor tie
    {"hot_dog.jpg", {934}},                      // hotdog
    {"owl.jpg", kBirds},                         // great grey owl is in both models' top 5
    {"parrot.jpg", range(87, 90)},               // African grey, macaw, cockatoo, lorikeet
    {"pets.jpg", join(range(151, 268), kCats)},  // a dog and a cat
    {"sunflower.bmp", {985, 309}},               // daisy; a bee sits on the flower
};

void check_model(const std::string& model) {
  PIXLAKE_REQUIRE_DATA("photos");
  PIXLAKE_REQUIRE_DATA("models");
  std::string cmd = "PIXLAKE_DATA='" + data_dir() + "' " + pixlake_binary() +
                    " classify --json --top 1 --model " + model;
  for (const auto& [file, classes] : kAccepted) cmd += " '" + data_path("photos/" + file) + "'";
  CommandResult r = run_command(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Each entry reads {"image":"<path>","top":[{"class":N,"label":"<label>",...}]}.
  // (Plain string search: std::regex trips GCC 12 warnings under the sanitizers.)
  int seen = 0;
  for (size_t pos = r.out.find("{\"image\":\""); pos != std::string::npos;
       pos = r.out.find("{\"image\":\"", pos + 1)) {
    size_t path_begin = pos + 10;
    size_t path_end = r.out.find('"', path_begin);
    std::string path = r.out.substr(path_begin, path_end - path_begin);
    std::string file = path.substr(path.rfind('/') + 1);
    size_t class_at = r.out.find("\"class\":", path_end) + 8;
    int cls = std::stoi(r.out.substr(class_at));
    size_t label_at = r.out.find("\"label\":\"", class_at) + 9;
    std::string label = r.out.substr(label_at, r.out.find('"', label_at) - label_at);
    ASSERT_TRUE(kAccepted.count(file)) << file;
    EXPECT_TRUE(kAccepted.at(file).count(cls))
        << model << " says " << file << " is '" << label << "' (" << cls << ")";
    ++seen;
  }
  EXPECT_EQ(seen, static_cast<int>(kAccepted.size())) << r.out;
}

TEST(SlowClassify, MobileNetV2RanksARightClassFirst) { check_model("mobilenetv2"); }
TEST(SlowClassify, SqueezeNetRanksARightClassFirst) { check_model("squeezenet"); }

}  // namespace
}  // namespace pixlake::testing
