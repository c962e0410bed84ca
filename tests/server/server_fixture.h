// Shared set-up for the HTTP server tests: a small lake (three Caltech-101 classes, three photos
// each, plus one exact copy so that /api/dups has a group, and a PCA map) built once per build
// tree under a file lock, copied per test, and served in-process on an ephemeral loopback port.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "cli/lake_fixture.h"
#include "http_server.h"

namespace pixlake::testing {

namespace server_fixture {

namespace fs = std::filesystem;

inline constexpr int kImages = 10;  // 3 classes x 3 + one copy

// The template lake (photos and lake), built on first use by any test process.
inline fs::path template_dir() {
  const fs::path dir = fs::path(PIXLAKE_BINARY_DIR) / "server_test_lake";
  const fs::path done = dir / "ready";
  if (fs::exists(done)) return dir;
  fs::create_directories(fs::path(PIXLAKE_BINARY_DIR));
  const std::string lock_path = std::string(PIXLAKE_BINARY_DIR) + "/server_test_lake.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0);
  ::flock(fd, LOCK_EX);
  if (!fs::exists(done)) {
    fs::remove_all(dir);
    fs::create_directories(dir / "photos");
    lake_fixture::copy_caltech_sample(dir / "photos", 3);
    fs::create_directories(dir / "photos" / "copies");
    fs::copy_file(dir / "photos" / "accordion" / "image_0001.jpg",
                  dir / "photos" / "copies" / "accordion_copy.jpg");
    using lake_fixture::pixlake;
    using lake_fixture::quote;
    const std::string lake = quote((dir / "lake").string());
    auto init = pixlake("init " + lake);
    EXPECT_EQ(init.exit_code, 0) << init.err;
    auto add = pixlake("add " + lake + " " + quote((dir / "photos").string()));
    EXPECT_EQ(add.exit_code, 0) << add.err;
    // Coordinates only: no picture, so no fonts (fontconfig's caches read as leaks under LSan).
    auto map = pixlake("map " + lake + " --coords " + quote((dir / "map.json").string()) +
                       " --method pca");
    EXPECT_EQ(map.exit_code, 0) << map.err;
    if (init.exit_code == 0 && add.exit_code == 0 && map.exit_code == 0) {
      // Only a complete template is marked ready; a failed build is tried again next time.
      std::FILE* f = std::fopen(done.c_str(), "w");
      if (f) std::fclose(f);
    }
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  return dir;
}

inline std::string photo(const std::string& cls, int n) {
  char name[32];
  std::snprintf(name, sizeof name, "image_%04d.jpg", n);
  return (template_dir() / "photos" / cls / name).string();
}

// A private copy of the template lake in a new temporary folder (`name` tells them apart),
// without the lock file of the process that built it.
inline fs::path copy_template_lake(const std::string& name) {
  const fs::path lake = lake_fixture::temp_dir(name) / "lake";
  fs::copy(template_dir() / "lake", lake, fs::copy_options::recursive);
  fs::remove(lake / "write.lock");
  return lake;
}

// A running server over a private copy of the template lake.
class TestServer {
 public:
  explicit TestServer(server::ServeOptions options = {}) {
    lake_ = copy_template_lake("server_" + std::to_string(counter()++));
    options.lake = lake_.string();
    options.port = 0;
    options.threads = 4;
    auto started = server::HttpServer::start(options);
    EXPECT_TRUE(started.is_ok()) << started.status().message();
    if (!started.is_ok()) return;
    server_ = std::move(started).value();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~TestServer() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    std::error_code ec;
    fs::remove_all(lake_.parent_path(), ec);
  }
  bool ok() const { return server_ != nullptr; }
  int port() const { return server_->port(); }
  const fs::path& lake() const { return lake_; }
  std::unique_ptr<httplib::Client> client(const std::string& token = "") const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(20, 0);
    if (!token.empty()) c->set_bearer_token_auth(token.c_str());
    return c;
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  fs::path lake_;
  std::unique_ptr<server::HttpServer> server_;
  std::thread thread_;
};

}  // namespace server_fixture

#define PIXLAKE_REQUIRE_SERVER_DATA() PIXLAKE_REQUIRE_LAKE_DATA()

}  // namespace pixlake::testing
