// POST /api/ingest and GET /api/jobs/{id}: background ingest of folders inside --ingest-root,
// and the allow-list that keeps every other path out.
#include <chrono>

#include "core/json_value.h"
#include "server_fixture.h"
#include "service/ingest_jobs.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;
using server_fixture::TestServer;

TEST(IngestPath, OnlyFoldersInsideTheRootsAreAllowed) {
  fs::path base = lake_fixture::temp_dir("ingest_roots");
  fs::create_directories(base / "root" / "sub");
  fs::create_directories(base / "rootx");
  fs::create_directories(base / "outside");
  fs::create_symlink(base / "outside", base / "root" / "escape");
  std::FILE* f = std::fopen((base / "root" / "file.jpg").c_str(), "w");
  std::fclose(f);
  const std::vector<std::string> roots = {(base / "root").string()};

  auto inside = allowed_ingest_path((base / "root" / "sub").string(), roots);
  ASSERT_TRUE(inside.is_ok());
  EXPECT_TRUE(inside->allowed);
  EXPECT_TRUE(allowed_ingest_path((base / "root").string(), roots)->allowed);
  EXPECT_TRUE(allowed_ingest_path((base / "root" / "sub" / ".." / "sub").string(), roots)->allowed);
  for (const std::string& refused :
       {(base / "rootx").string(), (base / "root" / ".." / "outside").string(),
        (base / "root" / "escape").string(), std::string("/etc"), std::string("/")}) {
    auto r = allowed_ingest_path(refused, roots);
    ASSERT_TRUE(r.is_ok()) << refused << ": " << r.status().message();
    EXPECT_FALSE(r->allowed) << refused;
    EXPECT_FALSE(r->reason.empty());
  }
  EXPECT_EQ(allowed_ingest_path("relative/path", roots).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(allowed_ingest_path("", roots).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(allowed_ingest_path((base / "root" / "nope").string(), roots).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(allowed_ingest_path((base / "root" / "file.jpg").string(), roots).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(allowed_ingest_path("/etc", {})->allowed);
  fs::remove_all(base);
}

class ServerIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    PIXLAKE_REQUIRE_SERVER_DATA();
    root_ = lake_fixture::temp_dir("ingest_root");
    fs::create_directories(root_ / "new");
    fs::copy_file(server_fixture::photo("Leopards", 1), root_ / "new" / "leopard_a.jpg");
    fs::copy_file(server_fixture::photo("airplanes", 1), root_ / "new" / "plane_a.jpg");
    server::ServeOptions options;
    options.ingest_roots = {root_.string()};
    server_ = std::make_unique<TestServer>(options);
    ASSERT_TRUE(server_->ok());
    client_ = server_->client();
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }
  std::string ingest_body(const std::string& path) { return "{\"path\":\"" + path + "\"}"; }
  fs::path root_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerIngest, AFolderIsIngestedInTheBackground) {
  auto started =
      client_->Post("/api/ingest", ingest_body((root_ / "new").string()), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  auto job = parse_json(started->body);
  ASSERT_TRUE(job.is_ok());
  const std::string url = started->get_header_value("Location");
  EXPECT_EQ(url, "/api/jobs/" + std::to_string(static_cast<int>(job->find("id")->as_number())));
  // Searches keep working while the job runs.
  std::string state;
  JsonValue last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    EXPECT_EQ(client_->Get("/api/search?id=1&k=3")->status, 200);
    auto r = client_->Get(url);
    ASSERT_EQ(r->status, 200);
    last = parse_json(r->body).value();
    state = last.find("state")->as_string();
    if (state == "done" || state == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(state, "done") << last.find("error")->as_string();
  EXPECT_EQ(last.find("report")->find("added")->as_number(), 2);
  EXPECT_EQ(last.find("report")->find("embedded")->as_number(), 2);
  auto health = parse_json(client_->Get("/api/health")->body);
  EXPECT_EQ(health->find("images")->as_number(), server_fixture::kImages + 2);
  auto search = client_->Get("/api/search?id=" + std::to_string(server_fixture::kImages + 1));
  EXPECT_EQ(search->status, 200) << search->body;
  // A second run of the same folder finds nothing new.
  auto again =
      client_->Post("/api/ingest", ingest_body((root_ / "new").string()), "application/json");
  ASSERT_EQ(again->status, 202);
}

TEST_F(ServerIngest, PathsOutsideTheRootsAreRefused) {
  struct Case {
    std::string body;
    int status;
    const char* code;
  };
  const std::string root = root_.string();
  for (const Case& c :
       {Case{ingest_body("/etc"), 403, "path_not_allowed"},
        Case{ingest_body(root + "/../"), 403, "path_not_allowed"},
        Case{ingest_body(root + "/new/../../.."), 403, "path_not_allowed"},
        Case{ingest_body(root + "x"), 403, "path_not_allowed"},
        Case{ingest_body(root + "/missing"), 404, "not_found"},
        Case{ingest_body("new"), 400, "invalid_argument"},
        Case{"{\"path\":1}", 400, "invalid_argument"}, Case{"not json", 400, "invalid_argument"},
        Case{"{\"path\":\"" + root + "/new\\u0000x\"}", 400, "invalid_argument"}}) {
    auto r = client_->Post("/api/ingest", c.body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.body << " " << r->body;
    EXPECT_NE(r->body.find(std::string("\"") + c.code + "\""), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("/etc/"), std::string::npos);
  }
  EXPECT_EQ(client_->Get("/api/jobs/77")->status, 404);
  EXPECT_EQ(client_->Get("/api/jobs/abc")->status, 404);
}

TEST(ServerIngestOff, DisabledWithoutRootsAndWhenReadOnly) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  TestServer plain;
  ASSERT_TRUE(plain.ok());
  auto r = plain.client()->Post("/api/ingest", "{\"path\":\"/tmp\"}", "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("\"ingest_disabled\""), std::string::npos);
  server::ServeOptions options;
  options.read_only = true;
  options.ingest_roots = {"/tmp"};
  TestServer read_only(options);
  ASSERT_TRUE(read_only.ok());
  auto ro = read_only.client()->Post("/api/ingest", "{\"path\":\"/tmp\"}", "application/json");
  EXPECT_EQ(ro->status, 403);
  EXPECT_NE(ro->body.find("\"read_only\""), std::string::npos);
  server::ServeOptions relative;
  relative.ingest_roots = {"photos"};
  EXPECT_FALSE(server::HttpServer::start(relative).is_ok());
}

}  // namespace
}  // namespace pixlake::testing
