// The web page embedded in the binary: GET / and /assets/* answer with the files of
// tools/server/web/ byte for byte, with their content types and a strict CSP; unknown assets
// get 404; with --token the page's files are public but nothing else is.
#include <fstream>
#include <iterator>

#include "routes.h"
#include "server_fixture.h"
#include "web_assets.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;
using server_fixture::TestServer;

std::string read_source(const std::string& name) {
  std::ifstream in(fs::path(PIXLAKE_SOURCE_DIR) / "tools" / "server" / "web" / name,
                   std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(WebAssets, EveryFileOfTheWebFolderIsEmbeddedUnchanged) {
  size_t on_disk = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(PIXLAKE_SOURCE_DIR) / "tools" / "server" / "web")) {
    if (entry.is_regular_file()) ++on_disk;
  }
  auto assets = server::web_assets();
  EXPECT_EQ(assets.size(), on_disk);
  for (const auto& asset : assets) {
    EXPECT_EQ(std::string(asset.data, asset.size), read_source(asset.name)) << asset.name;
  }
  ASSERT_NE(server::find_web_asset("/"), nullptr);
  EXPECT_STREQ(server::find_web_asset("/")->name, "index.html");
  ASSERT_NE(server::find_web_asset("/assets/app.js"), nullptr);
  EXPECT_EQ(server::find_web_asset("/assets/"), nullptr);
  EXPECT_EQ(server::find_web_asset("/assets/../index.html"), nullptr);
  EXPECT_EQ(server::find_web_asset("/app.js"), nullptr);
  EXPECT_EQ(server::find_web_asset("/assets/app.js/"), nullptr);
  EXPECT_EQ(server::route_label("/"), "/");
  EXPECT_EQ(server::route_label("/assets/app.js"), "/assets/{name}");
}

TEST(ServerWeb, ServesThePageAndItsAssets) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  TestServer server;
  ASSERT_TRUE(server.ok());
  auto c = server.client();
  auto index = c->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->body, read_source("index.html"));
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  const std::pair<const char*, const char*> files[] = {
      {"app.js", "text/javascript; charset=utf-8"},
      {"api.js", "text/javascript; charset=utf-8"},
      {"gallery.js", "text/javascript; charset=utf-8"},
      {"panel.js", "text/javascript; charset=utf-8"},
      {"dups.js", "text/javascript; charset=utf-8"},
      {"map.js", "text/javascript; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
      {"index.html", "text/html; charset=utf-8"}};
  for (const auto& [name, type] : files) {
    auto r = c->Get(std::string("/assets/") + name);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 200) << name;
    EXPECT_EQ(r->get_header_value("Content-Type"), type) << name;
    EXPECT_EQ(r->body, read_source(name)) << name;
  }
  // Every module the page imports is embedded.
  EXPECT_NE(index->body.find("/assets/app.js"), std::string::npos);
  EXPECT_NE(index->body.find("/assets/style.css"), std::string::npos);
  for (const char* url : {"/assets/nope.js", "/assets/", "/assets/..%2fapi%2fhealth",
                          "/assets/%2e%2e/index.html", "/index.html", "/favicon.ico"}) {
    auto r = c->Get(url);
    ASSERT_TRUE(r) << url;
    EXPECT_EQ(r->status, 404) << url;
    EXPECT_NE(r->body.find("\"not_found\""), std::string::npos) << url;
  }
  auto post = c->Post("/", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_GE(post->status, 400);
}

TEST(ServerWeb, PageIsPublicButTheApiStillNeedsTheToken) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  server::ServeOptions options;
  options.token = "web-t0ken";
  TestServer server(options);
  ASSERT_TRUE(server.ok());
  auto anonymous = server.client();
  EXPECT_EQ(anonymous->Get("/")->status, 200);
  EXPECT_EQ(anonymous->Get("/assets/app.js")->status, 200);
  // Only the embedded files are public: an unknown asset, the API and writes are not.
  for (const char* url : {"/assets/nope.js", "/api/health", "/api/images", "/api/images/1/thumb",
                          "/api/images/1/file"}) {
    auto r = anonymous->Get(url);
    ASSERT_TRUE(r) << url;
    EXPECT_EQ(r->status, 401) << url;
  }
  EXPECT_EQ(anonymous->Post("/", "x", "text/plain")->status, 401);
  EXPECT_EQ(anonymous->Post("/assets/app.js", "x", "text/plain")->status, 401);
  // A token in the query string is not a substitute for the header (it would end up in logs).
  EXPECT_EQ(anonymous->Get("/api/health?token=web-t0ken")->status, 401);
  EXPECT_EQ(anonymous->Get("/api/health?access_token=web-t0ken")->status, 401);
  EXPECT_EQ(server.client("web-t0ken")->Get("/api/health")->status, 200);
}

}  // namespace
}  // namespace pixlake::testing
