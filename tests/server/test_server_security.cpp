// Access rules of `pixlake serve`: token, read-only, loopback policy, and hostile requests
// (malformed multipart, huge headers, bad JSON, traversal) that must get a 4xx and leave the
// server up.
#include <arpa/inet.h>
#include <sys/socket.h>

#include <fstream>
#include <iterator>
#include <random>

#include "access_guard.h"
#include "core/json_value.h"
#include "lake/lake.h"
#include "routes.h"
#include "server_fixture.h"

namespace pixlake::testing {
namespace {

using server_fixture::TestServer;

TEST(ServeOptionsCheck, LoopbackHosts) {
  EXPECT_TRUE(server::is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(server::is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(server::is_loopback_host("localhost"));
  EXPECT_TRUE(server::is_loopback_host("::1"));
  EXPECT_FALSE(server::is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(server::is_loopback_host("192.168.1.4"));
  EXPECT_FALSE(server::is_loopback_host("::"));
  EXPECT_FALSE(server::is_loopback_host("example.com"));
}

TEST(ServeOptionsCheck, WritesBeyondLoopbackNeedAToken) {
  server::ServeOptions options;
  options.host = "0.0.0.0";
  Status refused = server::check_serve_options(options);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("--token"), std::string::npos);
  options.read_only = true;
  EXPECT_TRUE(server::check_serve_options(options).is_ok());
  options.read_only = false;
  options.token = "s3cret";
  EXPECT_TRUE(server::check_serve_options(options).is_ok());
  options.token = "has space";
  EXPECT_FALSE(server::check_serve_options(options).is_ok());
}

TEST(ServeOptionsCheck, BearerTokenComparison) {
  EXPECT_TRUE(server::bearer_token_matches("Bearer abc", "abc"));
  EXPECT_FALSE(server::bearer_token_matches("Bearer abd", "abc"));
  EXPECT_FALSE(server::bearer_token_matches("Bearer abcd", "abc"));
  EXPECT_FALSE(server::bearer_token_matches("Bearer ab", "abc"));
  EXPECT_FALSE(server::bearer_token_matches("abc", "abc"));
  EXPECT_FALSE(server::bearer_token_matches("", "abc"));
}

TEST(ServeCli, RefusesWritableServerBeyondLoopbackWithoutToken) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  auto lake = server_fixture::template_dir() / "lake";
  auto r = lake_fixture::pixlake("serve " + lake_fixture::quote(lake.string()) +
                                 " --host 0.0.0.0 --port 0");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("without --token"), std::string::npos) << r.err;
  auto bad = lake_fixture::pixlake("serve");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("usage"), std::string::npos);
}

TEST(ServerToken, EveryRequestNeedsTheBearerToken) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  server::ServeOptions options;
  options.token = "t0ken-123";
  TestServer server(options);
  ASSERT_TRUE(server.ok());
  auto anonymous = server.client();
  for (const char* url : {"/api/health", "/api/images/1", "/api/no/such/route"}) {
    auto r = anonymous->Get(url);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << url;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_NE(r->body.find("\"unauthorized\""), std::string::npos);
  }
  auto wrong = server.client("t0ken-124");
  EXPECT_EQ(wrong->Get("/api/health")->status, 401);
  // The token is checked before the body is read: an anonymous upload is refused as 401.
  httplib::MultipartFormDataItems form{{"image", "x", "x.jpg", ""}};
  EXPECT_EQ(anonymous->Post("/api/search", form)->status, 401);
  EXPECT_EQ(anonymous->Post("/api/images/1/tags", "{\"tags\":[\"a\"]}", "application/json")->status,
            401);
  auto right = server.client("t0ken-123");
  EXPECT_EQ(right->Get("/api/health")->status, 200);
  const std::string metrics = right->Get("/api/metrics")->body;
  EXPECT_NE(metrics.find("route=\"/api/health\",method=\"GET\",status=\"401\"} 2"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(right->Post("/api/images/1/tags", "{\"tags\":[\"a\"]}", "application/json")->status,
            200);
}

TEST(ServerReadOnly, WritesAre403ReadsWork) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  server::ServeOptions options;
  options.read_only = true;
  TestServer server(options);
  ASSERT_TRUE(server.ok());
  auto c = server.client();
  auto health = c->Get("/api/health");
  EXPECT_NE(health->body.find("\"read_only\":true"), std::string::npos);
  std::vector<httplib::Result> writes;
  writes.push_back(c->Post("/api/images/1/tags", "{\"tags\":[\"a\"]}", "application/json"));
  writes.push_back(c->Delete("/api/images/1/tags", "{\"tags\":[\"a\"]}", "application/json"));
  writes.push_back(c->Get("/api/dups"));
  writes.push_back(c->Post("/api/clusters", "{\"k\":2}", "application/json"));
  writes.push_back(
      c->Post("/api/dups/verdict", "{\"a\":1,\"b\":2,\"duplicate\":false}", "application/json"));
  for (const auto& r : writes) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_NE(r->body.find("\"read_only\""), std::string::npos);
  }
  EXPECT_EQ(c->Get("/api/search?id=1&k=2")->status, 200);
  EXPECT_EQ(c->Get("/api/images/1")->status, 200);
  // A read-only server does not take the writer lock: another writer may run beside it.
  auto writer = Lake::open(server.lake().string(), Lake::Access::kWrite);
  EXPECT_TRUE(writer.is_ok()) << writer.status().message();
}

// Sends raw bytes on a fresh connection and returns the response once it is complete (headers
// and Content-Length bytes), or what came before the connection closed or went quiet for 700 ms
// (a request whose body never arrives gets no answer until the server's read timeout).
std::string raw_exchange(int port, const std::string& request, bool half_close = false) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  timeval timeout{0, 700'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  if (half_close) ::shutdown(fd, SHUT_WR);  // the body ends here, whatever it announced
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    size_t end = out.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    size_t length = 0;
    size_t at = out.find("Content-Length: ");
    if (at != std::string::npos && at < end)
      length = std::strtoul(out.c_str() + at + 16, nullptr, 10);
    if (out.size() >= end + 4 + length) break;
  }
  ::close(fd);
  return out;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

TEST(ServerHostile, TraversalAttemptsNeverReachTheFileSystem) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  TestServer server;
  ASSERT_TRUE(server.ok());
  for (const char* target :
       {"/api/images/../../../../etc/passwd", "/api/images/%2e%2e/%2e%2e/etc/passwd",
        "/api/images/1/file/../../../../etc/passwd", "/api/images/1/..%2f..%2f..%2fetc%2fpasswd",
        "/etc/passwd", "//etc/passwd", "/api/images/%2fetc%2fpasswd/file", "/api/images/1%00/file",
        "/api/map?model=../../../../etc/passwd", "/api/map?model=%2fetc%2fpasswd",
        "/api/search?path=../../../../etc/passwd", "/api/search?path=%2Fetc%2Fpasswd",
        "/api/images/1/thumb?size=64/../../x", "/api/images/1/file?path=/etc/passwd"}) {
    std::string response =
        raw_exchange(server.port(), std::string("GET ") + target +
                                        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int status = status_of(response);
    // ?path= on /file is ignored (only the lake's image is served): 200 with the image.
    if (std::string(target) == "/api/images/1/file?path=/etc/passwd") {
      EXPECT_EQ(status, 200);
      EXPECT_EQ(response.find("root:"), std::string::npos);
      continue;
    }
    EXPECT_GE(status, 400) << target << "\n" << response.substr(0, 200);
    EXPECT_LT(status, 500) << target;
    EXPECT_EQ(response.find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(server.client()->Get("/api/health")->status, 200);
}

constexpr char kBinaryTags[] =
    "POST /api/images/1/tags HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\xff\xfe\x00\x01";

TEST(ServerHostile, MalformedRequestsGet4xxAndTheServerStaysUp) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  TestServer server;
  ASSERT_TRUE(server.ok());
  const std::string huge_header(100'000, 'a');
  std::vector<std::string> requests = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + huge_header + "\r\n\r\n",
      "GET /api/" + huge_header + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\n"
      "Content-Length: 10\r\n\r\n0123456789",
      "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\r\n"
      "Content-Length: 10\r\n\r\n0123456789",
      std::string(kBinaryTags, sizeof kBinaryTags - 1),
  };
  // Bodies shorter than their Content-Length: the client half-closes; the server gives up on
  // the request (an answer, if any, must be a 4xx).
  // Absurd lengths: cpp-httplib skips the announced body before answering 413, so these too
  // end with the client's half-close (or the server's read timeout).
  const std::vector<std::string> truncated = {
      "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
      "boundary=XX\r\nContent-Length: 40\r\n\r\n--XX\r\nContent-Disposition: form-data\r\n",
      "POST /api/images/1/tags HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n{\"tags\":[",
  };
  // Random multipart bodies with a valid header.
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::string body = "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n";
    for (int b = 0; b < 200; ++b) body += static_cast<char>(rng() % 256);
    if (i % 2) body += "\r\n--B--\r\n";
    if (i % 3 == 0) body = body.substr(0, rng() % body.size());
    requests.push_back(
        "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  // Deeply nested and otherwise bad JSON.
  for (const std::string& json :
       {std::string(10000, '['), std::string("{\"tags\":") + std::string(5000, '[') + "\"x\"",
        std::string("{\"tags\":[\"\\ud800\"]}"), std::string("{\"tags\":[\"a\"]} trailing"),
        std::string("{\"tags\":[1e999]}")}) {
    requests.push_back(
        "POST /api/images/1/tags HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(json.size()) + "\r\n\r\n" + json);
  }
  for (const std::string& request : requests) {
    std::string response = raw_exchange(server.port(), request);
    EXPECT_FALSE(response.empty()) << request.substr(0, 120);
    int status = status_of(response);
    EXPECT_GE(status, 400) << request.substr(0, 120) << "\n" << response.substr(0, 200);
    EXPECT_LT(status, 500) << request.substr(0, 120) << "\n" << response.substr(0, 300);
  }
  for (const std::string& request : truncated) {
    std::string response = raw_exchange(server.port(), request, /*half_close=*/true);
    if (!response.empty()) {
      EXPECT_EQ(status_of(response) / 100, 4) << response.substr(0, 200);
    }
  }
  auto health = server.client()->Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace pixlake::testing

namespace pixlake::testing {
namespace {

// A read-only server keeps its readers open while `pixlake add` commits new rows beside it:
// searches must see the new images (readers behind the catalog are replaced), never read past
// the rows they mapped.
TEST(ServerReadOnly, SeesImagesAddedByAnotherProcess) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  server::ServeOptions options;
  options.read_only = true;
  server_fixture::TestServer server(options);
  ASSERT_TRUE(server.ok());
  auto c = server.client();
  // Warm every reader: they map the embedding file at its current size.
  std::vector<std::thread> warm;
  for (int t = 0; t < 4; ++t) {
    warm.emplace_back(
        [&] { EXPECT_EQ(server.client()->Get("/api/search?id=1&k=3")->status, 200); });
  }
  for (auto& t : warm) t.join();
  auto extra = lake_fixture::temp_dir("server_extra");
  std::filesystem::copy_file(server_fixture::photo("Leopards", 2), extra / "new_leopard.jpg");
  auto add = lake_fixture::pixlake("add " + lake_fixture::quote(server.lake().string()) + " " +
                                   lake_fixture::quote(extra.string()));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const int new_id = server_fixture::kImages + 1;
  for (int i = 0; i < 6; ++i) {
    auto r = c->Get("/api/search?id=" + std::to_string(new_id) + "&k=20");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    auto by_other = c->Get("/api/search?id=1&k=20");
    EXPECT_NE(by_other->body.find("new_leopard.jpg"), std::string::npos);
  }
  std::filesystem::remove_all(extra);
}

}  // namespace
}  // namespace pixlake::testing

namespace pixlake::testing {
namespace {

// The pixel limit applies to uploads (decoded from memory) and to thumbnails (checked against
// the catalog's size before libvips opens the file): both answer 422.
TEST(ServerLimits, PixelLimitGives422) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  server::ServeOptions options;
  options.upload_limits.max_pixels = 10'000;  // Caltech photos are ~300 x 200
  server_fixture::TestServer server(options);
  ASSERT_TRUE(server.ok());
  auto c = server.client();
  std::ifstream in(server_fixture::photo("airplanes", 3), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  httplib::MultipartFormDataItems form{{"image", bytes, "q.jpg", "image/jpeg"}};
  auto upload = c->Post("/api/search", form);
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 422);
  EXPECT_NE(upload->body.find("\"unsupported\""), std::string::npos) << upload->body;
  auto thumb = c->Get("/api/images/1/thumb?size=64");
  EXPECT_EQ(thumb->status, 422);
  EXPECT_EQ(c->Get("/api/search?id=1")->status, 200);  // searches by id decode nothing
}

}  // namespace
}  // namespace pixlake::testing

namespace pixlake::testing {
namespace {

TEST(ServerRoutes, MetricLabelsAreRouteTemplates) {
  EXPECT_EQ(server::route_label("/api/health"), "/api/health");
  EXPECT_EQ(server::route_label("/api/images"), "/api/images");
  EXPECT_EQ(server::route_label("/api/images/12"), "/api/images/{id}");
  EXPECT_EQ(server::route_label("/api/images/12/file"), "/api/images/{id}/file");
  EXPECT_EQ(server::route_label("/api/images/3/thumb"), "/api/images/{id}/thumb");
  EXPECT_EQ(server::route_label("/api/images/3/tags"), "/api/images/{id}/tags");
  EXPECT_EQ(server::route_label("/api/jobs/7"), "/api/jobs/{id}");
  EXPECT_EQ(server::route_label("/"), "/");  // the web page (test_server_web.cpp)
  for (const char* other : {"/api/images/", "/api/images/x", "/api/images//file", "/api/images/1/",
                            "/api/images/1/file/x", "/api/jobs/", "/etc/passwd", ""}) {
    EXPECT_EQ(server::route_label(other), "other") << other;
  }
}

}  // namespace
}  // namespace pixlake::testing
