// Every endpoint of `pixlake serve` against a small lake, and each error code it documents.
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_value.h"
#include "image/image.h"
#include "server_fixture.h"

namespace pixlake::testing {
namespace {

using server_fixture::TestServer;

JsonValue json_of(const httplib::Result& r) {
  EXPECT_TRUE(r) << "no response";
  if (!r) return {};
  auto parsed = parse_json(r->body);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().message() << "\n" << r->body;
  return parsed.is_ok() ? *parsed : JsonValue();
}

// The error code of an error response, checking the house format on the way.
std::string error_code(const httplib::Result& r) {
  JsonValue j = json_of(r);
  const JsonValue* error = j.find("error");
  EXPECT_TRUE(error && error->find("code") && error->find("message")) << r->body;
  if (!error || !error->find("code")) return "";
  return error->find("code")->as_string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ServerApi : public ::testing::Test {
 protected:
  void SetUp() override {
    PIXLAKE_REQUIRE_SERVER_DATA();
    server_ = std::make_unique<TestServer>();
    ASSERT_TRUE(server_->ok());
    client_ = server_->client();
  }
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerApi, Health) {
  auto r = client_->Get("/api/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  JsonValue j = json_of(r);
  EXPECT_EQ(j.find("status")->as_string(), "ok");
  EXPECT_EQ(j.find("images")->as_number(), server_fixture::kImages);
  EXPECT_FALSE(j.find("read_only")->as_bool());
}

TEST_F(ServerApi, MetricsCountRequestsByRouteAndStatus) {
  client_->Get("/api/health");
  client_->Get("/api/images/1");
  client_->Get("/api/images/99999");
  client_->Get("/api/no/such/route");
  auto r = client_->Get("/api/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  const std::string& text = r->body;
  EXPECT_NE(text.find("pixlake_http_requests_total{route=\"/api/health\",method=\"GET\","
                      "status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"/api/images/{id}\",method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"other\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("pixlake_http_request_duration_seconds_bucket{route=\"/api/health\","
                      "le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("pixlake_lake_images " + std::to_string(server_fixture::kImages)),
            std::string::npos);
}

TEST_F(ServerApi, Models) {
  JsonValue j = json_of(client_->Get("/api/models"));
  const std::string name = j.find("default")->as_string();
  ASSERT_EQ(j.find("models")->items().size(), 1u);
  const JsonValue& m = j.find("models")->items()[0];
  EXPECT_EQ(m.find("name")->as_string(), name);
  EXPECT_EQ(m.find("embedded")->as_number(), server_fixture::kImages);
  EXPECT_GT(m.find("dim")->as_number(), 0);
}

TEST_F(ServerApi, ImagesArePagedAndFiltered) {
  JsonValue all = json_of(client_->Get("/api/images?limit=4"));
  EXPECT_EQ(all.find("total")->as_number(), server_fixture::kImages);
  ASSERT_EQ(all.find("images")->items().size(), 4u);
  EXPECT_EQ(all.find("images")->items()[0].find("id")->as_number(), 1);
  JsonValue last = json_of(client_->Get("/api/images?offset=8&limit=4"));
  EXPECT_EQ(last.find("images")->items().size(), 2u);
  JsonValue past = json_of(client_->Get("/api/images?offset=100"));
  EXPECT_EQ(past.find("images")->items().size(), 0u);
  httplib::Params where{{"where", "path ~ '*/airplanes/*'"}};
  auto r = client_->Get("/api/images", where, httplib::Headers{});
  JsonValue planes = json_of(r);
  EXPECT_EQ(planes.find("total")->as_number(), 3);
  for (const JsonValue& image : planes.find("images")->items()) {
    EXPECT_NE(image.find("path")->as_string().find("/airplanes/"), std::string::npos);
    EXPECT_TRUE(image.find("tags")->is_array());
    EXPECT_TRUE(image.find("meta")->is_object());
  }
}

TEST_F(ServerApi, ImagesRejectBadParameters) {
  for (const char* url : {"/api/images?limit=0", "/api/images?limit=abc", "/api/images?limit=5000",
                          "/api/images?offset=-1", "/api/images?where=width%20%3E%3E%201",
                          "/api/images?where=nosuchfield%20%3D%201"}) {
    auto r = client_->Get(url);
    ASSERT_TRUE(r) << url;
    EXPECT_EQ(r->status, 400) << url;
    EXPECT_EQ(error_code(r), "invalid_argument") << url;
  }
}

TEST_F(ServerApi, ImageById) {
  JsonValue j = json_of(client_->Get("/api/images/2"));
  EXPECT_EQ(j.find("id")->as_number(), 2);
  EXPECT_EQ(j.find("format")->as_string(), "jpeg");
  EXPECT_GT(j.find("width")->as_number(), 0);
  EXPECT_EQ(j.find("hash")->as_string().size(), 64u);

  auto missing = client_->Get("/api/images/424242");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  auto huge = client_->Get("/api/images/99999999999999999999999");
  EXPECT_EQ(huge->status, 400);
  auto zero = client_->Get("/api/images/0");
  EXPECT_EQ(zero->status, 400);
  auto text = client_->Get("/api/images/abc");
  EXPECT_EQ(text->status, 404);
  EXPECT_EQ(error_code(text), "not_found");
}

TEST_F(ServerApi, FileReturnsTheOriginalBytes) {
  JsonValue meta = json_of(client_->Get("/api/images/3"));
  auto r = client_->Get("/api/images/3/file");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->body, read_file(meta.find("path")->as_string()));
  EXPECT_EQ(client_->Get("/api/images/777/file")->status, 404);
}

TEST_F(ServerApi, ThumbnailIsBoundedAndCached) {
  auto r = client_->Get("/api/images/1/thumb?size=64");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/jpeg");
  auto image = decode_image_memory(reinterpret_cast<const uint8_t*>(r->body.data()), r->body.size(),
                                   "thumb");
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(std::max(image->width, image->height), 64);
  int cached = 0;
  for (const auto& entry : std::filesystem::directory_iterator(server_->lake() / "thumbs")) {
    cached += entry.path().filename().string().rfind("1-64-", 0) == 0;
  }
  EXPECT_EQ(cached, 1);
  auto again = client_->Get("/api/images/1/thumb?size=64");
  EXPECT_EQ(again->body, r->body);
  EXPECT_EQ(client_->Get("/api/images/1/thumb")->status, 200);  // default size
  for (const char* url : {"/api/images/1/thumb?size=5000", "/api/images/1/thumb?size=2",
                          "/api/images/1/thumb?size=x"}) {
    EXPECT_EQ(client_->Get(url)->status, 400) << url;
  }
  EXPECT_EQ(client_->Get("/api/images/999/thumb")->status, 404);
}

TEST_F(ServerApi, SearchById) {
  JsonValue j = json_of(client_->Get("/api/search?id=4&k=3"));
  ASSERT_EQ(j.find("results")->items().size(), 3u);
  std::set<double> ids;
  double previous = 2;
  for (const JsonValue& hit : j.find("results")->items()) {
    EXPECT_NE(hit.find("id")->as_number(), 4);  // the query itself is left out
    EXPECT_LE(hit.find("score")->as_number(), previous);
    previous = hit.find("score")->as_number();
    ids.insert(hit.find("id")->as_number());
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST_F(ServerApi, SearchByPathWithWhere) {
  httplib::Params params{{"path", server_fixture::photo("Leopards", 1)},
                         {"k", "10"},
                         {"where", "path ~ '*/airplanes/*'"}};
  JsonValue j = json_of(client_->Get("/api/search", params, httplib::Headers{}));
  ASSERT_EQ(j.find("results")->items().size(), 3u);
  for (const JsonValue& hit : j.find("results")->items()) {
    EXPECT_NE(hit.find("path")->as_string().find("/airplanes/"), std::string::npos);
  }
}

TEST_F(ServerApi, SearchErrors) {
  struct Case {
    const char* url;
    int status;
  };
  for (const Case& c : {Case{"/api/search", 400}, Case{"/api/search?id=1&path=/x", 400},
                        Case{"/api/search?id=1&k=0", 400}, Case{"/api/search?id=1&k=100000", 400},
                        Case{"/api/search?id=-3", 400}, Case{"/api/search?id=1&where=(((", 400},
                        Case{"/api/search?id=4242", 404}, Case{"/api/search?path=/etc/passwd", 404},
                        Case{"/api/search?id=1&model=nosuchmodel", 404},
                        Case{"/api/search?id=1&model=../../etc/passwd", 404}}) {
    auto r = client_->Get(c.url);
    ASSERT_TRUE(r) << c.url;
    EXPECT_EQ(r->status, c.status) << c.url << " " << r->body;
    EXPECT_FALSE(error_code(r).empty());
  }
}

TEST_F(ServerApi, SearchByUpload) {
  const std::string query = server_fixture::photo("airplanes", 2);
  httplib::MultipartFormDataItems form{{"image", read_file(query), "query.jpg", "image/jpeg"},
                                       {"k", "2", "", ""}};
  auto r = client_->Post("/api/search", form);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  JsonValue j = json_of(r);
  ASSERT_EQ(j.find("results")->items().size(), 2u);
  const JsonValue& best = j.find("results")->items()[0];
  EXPECT_EQ(best.find("path")->as_string(), query);
  EXPECT_GT(best.find("score")->as_number(), 0.99);
}

TEST_F(ServerApi, UploadErrors) {
  httplib::MultipartFormDataItems garbage{{"image", "this is not an image", "x.jpg", "image/jpeg"}};
  auto bad = client_->Post("/api/search", garbage);
  EXPECT_EQ(bad->status, 422);
  EXPECT_EQ(error_code(bad), "unsupported");
  // A truncated JPEG: the first 600 bytes of a real one.
  httplib::MultipartFormDataItems cut{
      {"image", read_file(server_fixture::photo("accordion", 1)).substr(0, 600), "c.jpg", ""}};
  EXPECT_EQ(client_->Post("/api/search", cut)->status, 422);
  httplib::MultipartFormDataItems no_image{{"k", "3", "", ""}};
  EXPECT_EQ(client_->Post("/api/search", no_image)->status, 400);
  auto raw = client_->Post("/api/search", "plain body", "text/plain");
  EXPECT_EQ(raw->status, 400);
  EXPECT_EQ(error_code(raw), "invalid_argument");
  // 33 MiB: over the 32 MiB upload limit.
  httplib::MultipartFormDataItems big{{"image", std::string(size_t{33} << 20, 'x'), "b.jpg", ""}};
  auto too_big = client_->Post("/api/search", big);
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  EXPECT_NE(client_->Get("/api/metrics")
                ->body.find("route=\"/api/search\",method=\"POST\","
                            "status=\"413\"} 1"),
            std::string::npos);
  EXPECT_EQ(error_code(too_big), "payload_too_large");
  EXPECT_EQ(client_->Get("/api/health")->status, 200);
}

TEST_F(ServerApi, TagsAddAndRemove) {
  auto added = client_->Post("/api/images/5/tags", R"({"tags":["keep","holiday 2024"]})",
                             "application/json");
  ASSERT_EQ(added->status, 200) << added->body;
  JsonValue j = json_of(added);
  ASSERT_EQ(j.find("tags")->items().size(), 2u);
  EXPECT_EQ(j.find("tags")->items()[0].as_string(), "holiday 2024");
  // Readers see the writer's commit.
  httplib::Params where{{"where", "tag = 'keep'"}};
  JsonValue listed = json_of(client_->Get("/api/images", where, httplib::Headers{}));
  EXPECT_EQ(listed.find("total")->as_number(), 1);
  auto removed = client_->Delete("/api/images/5/tags", R"({"tags":["keep"]})", "application/json");
  ASSERT_EQ(removed->status, 200);
  EXPECT_EQ(json_of(removed).find("tags")->items().size(), 1u);
  EXPECT_EQ(json_of(client_->Get("/api/images/5")).find("tags")->items().size(), 1u);
}

TEST_F(ServerApi, TagErrors) {
  for (const char* body : {"", "not json", "{\"tags\":\"x\"}", "{\"tags\":[1]}", "[]",
                           "{\"tags\":[\"\"]}", "{\"tags\":[\"a\"]", "{\"tag\":[\"a\"]}"}) {
    auto r = client_->Post("/api/images/1/tags", body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_EQ(error_code(r), "invalid_argument");
  }
  EXPECT_EQ(client_->Post("/api/images/999/tags", "{\"tags\":[\"a\"]}", "application/json")->status,
            404);
}

TEST_F(ServerApi, DupsFindTheCopy) {
  auto r = client_->Get("/api/dups");
  ASSERT_EQ(r->status, 200) << r->body;
  JsonValue j = json_of(r);
  ASSERT_GE(j.find("groups")->items().size(), 1u);
  bool found_copy = false;
  for (const JsonValue& group : j.find("groups")->items()) {
    for (const JsonValue& image : group.find("images")->items()) {
      found_copy |= image.find("path")->as_string().find("accordion_copy") != std::string::npos;
    }
    EXPECT_GE(group.find("pairs")->items().size(), 1u);
  }
  EXPECT_TRUE(found_copy);
  EXPECT_EQ(client_->Get("/api/dups?k=0")->status, 400);
}

TEST_F(ServerApi, DupVerdictsAreRememberedAndChecked) {
  // The byte-identical pair, from the first search.
  JsonValue before = json_of(client_->Get("/api/dups"));
  int64_t a = -1, b = -1;
  for (const JsonValue& group : before.find("groups")->items()) {
    for (const JsonValue& pair : group.find("pairs")->items()) {
      if (pair.find("tiers")->items().front().as_string() == "exact") {
        a = static_cast<int64_t>(pair.find("a")->as_number());
        b = static_cast<int64_t>(pair.find("b")->as_number());
      }
    }
  }
  ASSERT_GT(a, 0);
  const std::string body =
      "{\"a\":" + std::to_string(b) + ",\"b\":" + std::to_string(a) + ",\"duplicate\":false}";
  auto r = client_->Post("/api/dups/verdict", body, "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(static_cast<int64_t>(json_of(r).find("a")->as_number()), a);
  JsonValue after = json_of(client_->Get("/api/dups"));
  for (const JsonValue& group : after.find("groups")->items()) {
    for (const JsonValue& pair : group.find("pairs")->items()) {
      EXPECT_FALSE(static_cast<int64_t>(pair.find("a")->as_number()) == a &&
                   static_cast<int64_t>(pair.find("b")->as_number()) == b);
    }
  }
  for (const char* bad :
       {"", "[]", "{\"a\":1}", "{\"a\":1,\"b\":1,\"duplicate\":true}",
        "{\"a\":\"1\",\"b\":2,\"duplicate\":true}", "{\"a\":1.5,\"b\":2,\"duplicate\":true}",
        "{\"a\":1,\"b\":2,\"duplicate\":1}"}) {
    EXPECT_EQ(client_->Post("/api/dups/verdict", bad, "application/json")->status, 400) << bad;
  }
  EXPECT_EQ(client_
                ->Post("/api/dups/verdict", "{\"a\":1,\"b\":99999,\"duplicate\":true}",
                       "application/json")
                ->status,
            404);
}

TEST_F(ServerApi, ClustersRunAndAreListed) {
  EXPECT_TRUE(json_of(client_->Get("/api/clusters")).find("clusters")->items().empty());
  auto r = client_->Post("/api/clusters", "{\"k\":2,\"seed\":3}", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  JsonValue run = json_of(r);
  EXPECT_EQ(run.find("k")->as_number(), 2);
  ASSERT_EQ(run.find("clusters")->items().size(), 2u);
  double total = 0;
  for (const JsonValue& c : run.find("clusters")->items()) total += c.find("size")->as_number();
  EXPECT_EQ(total, run.find("images")->as_number());
  JsonValue listed = json_of(client_->Get("/api/clusters"));
  ASSERT_EQ(listed.find("clusters")->items().size(), 2u);
  EXPECT_EQ(listed.find("clusters")->items().front().find("tag")->as_string().rfind("cluster:", 0),
            0u);
  for (const char* bad : {"{\"k\":-1}", "{\"k\":\"two\"}", "{\"where\":3}", "nonsense"}) {
    EXPECT_EQ(client_->Post("/api/clusters", bad, "application/json")->status, 400) << bad;
  }
  EXPECT_EQ(client_->Post("/api/clusters", "{\"where\":\"width >\"}", "application/json")->status,
            400);
}

TEST_F(ServerApi, MapReturnsTheStoredCoordinates) {
  JsonValue j = json_of(client_->Get("/api/map"));
  EXPECT_EQ(j.find("format")->as_string(), "pixlake-map");
  EXPECT_EQ(j.find("points")->items().size(), static_cast<size_t>(server_fixture::kImages));
  EXPECT_EQ(client_->Get("/api/map?model=nosuch")->status, 404);
  EXPECT_EQ(client_->Get("/api/map?model=..%2F..%2Fcatalog")->status, 404);
}

TEST_F(ServerApi, NoCorsHeaders) {
  httplib::Headers origin{{"Origin", "https://evil.example"}};
  auto r = client_->Get("/api/health", origin);
  for (const auto& [name, value] : r->headers) {
    EXPECT_EQ(name.rfind("Access-Control-", 0), std::string::npos) << name;
  }
  auto preflight = client_->Options("/api/search", origin);
  ASSERT_TRUE(preflight);
  EXPECT_GE(preflight->status, 400);
  for (const auto& [name, value] : preflight->headers) {
    EXPECT_EQ(name.rfind("Access-Control-", 0), std::string::npos) << name;
  }
}

TEST_F(ServerApi, ParallelSearchesAgree) {
  const std::string expected = client_->Get("/api/search?id=7&k=5")->body;
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = server_->client();
      for (int i = 0; i < 10; ++i) {
        if (t % 4 == 0) {
          // A writer in the mix: tags commit while searches read.
          c->Post("/api/images/" + std::to_string(1 + i % 9) + "/tags",
                  "{\"tags\":[\"t" + std::to_string(t) + "\"]}", "application/json");
        }
        auto r = c->Get("/api/search?id=7&k=5");
        if (r && r->status == 200 && r->body == expected) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 80);
}

}  // namespace
}  // namespace pixlake::testing
