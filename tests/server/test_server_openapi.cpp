// docs/openapi.json against the running server: every documented operation exists, and a sample
// of real responses (successes and errors) match the documented status codes and schemas
// (types, required fields, nullable, arrays, nested $ref).
#include <chrono>
#include <fstream>
#include <sstream>

#include "core/json_value.h"
#include "server_fixture.h"

namespace pixlake::testing {
namespace {

using server_fixture::TestServer;

JsonValue load_openapi() {
  std::ifstream in(std::string(PIXLAKE_SOURCE_DIR) + "/docs/openapi.json");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_json(text.str());
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().message();
  return parsed.is_ok() ? *parsed : JsonValue();
}

const JsonValue& resolve(const JsonValue& root, const JsonValue& node) {
  const JsonValue* ref = node.find("$ref");
  if (ref == nullptr) return node;
  // "#/components/schemas/Name"
  const JsonValue* at = &root;
  std::string path = ref->as_string().substr(2);
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    at = at->find(part);
    if (at == nullptr) {
      ADD_FAILURE() << "unresolved $ref " << ref->as_string();
      return node;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return resolve(root, *at);
}

void validate(const JsonValue& root, const JsonValue& schema_in, const JsonValue& value,
              const std::string& where, std::vector<std::string>& errors) {
  const JsonValue& schema = resolve(root, schema_in);
  if (value.is_null()) {
    const JsonValue* nullable = schema.find("nullable");
    if (nullable == nullptr || !nullable->as_bool()) errors.push_back(where + ": null");
    return;
  }
  const JsonValue* type = schema.find("type");
  if (type == nullptr) return;
  const std::string& t = type->as_string();
  bool ok = (t == "object" && value.is_object()) || (t == "array" && value.is_array()) ||
            (t == "string" && value.is_string()) || (t == "boolean" && value.is_bool()) ||
            (t == "number" && value.is_number()) ||
            (t == "integer" && value.is_number() &&
             value.as_number() == static_cast<double>(static_cast<int64_t>(value.as_number())));
  if (!ok) {
    errors.push_back(where + ": not " + t);
    return;
  }
  if (t == "object") {
    if (const JsonValue* required = schema.find("required")) {
      for (const JsonValue& name : required->items()) {
        if (value.find(name.as_string()) == nullptr) {
          errors.push_back(where + ": missing '" + name.as_string() + "'");
        }
      }
    }
    const JsonValue* properties = schema.find("properties");
    const JsonValue* additional = schema.find("additionalProperties");
    for (const auto& [key, member] : value.members()) {
      const JsonValue* property = properties ? properties->find(key) : nullptr;
      if (property != nullptr) {
        validate(root, *property, member, where + "." + key, errors);
      } else if (additional != nullptr && additional->is_object()) {
        validate(root, *additional, member, where + "." + key, errors);
      }
    }
  }
  if (t == "array") {
    if (const JsonValue* items = schema.find("items")) {
      for (size_t i = 0; i < value.items().size(); ++i) {
        validate(root, *items, value.items()[i], where + "[" + std::to_string(i) + "]", errors);
      }
    }
  }
}

// Checks `r` against the documentation of `method` on `documented_path`.
void check_response(const JsonValue& root, const std::string& documented_path,
                    const std::string& method, const httplib::Result& r) {
  ASSERT_TRUE(r) << method << " " << documented_path;
  const JsonValue* path = root.find("paths")->find(documented_path);
  ASSERT_NE(path, nullptr) << documented_path;
  const JsonValue* operation = path->find(method);
  ASSERT_NE(operation, nullptr) << method << " " << documented_path;
  const JsonValue* documented = operation->find("responses")->find(std::to_string(r->status));
  ASSERT_NE(documented, nullptr) << method << " " << documented_path << ": status " << r->status
                                 << " is not documented\n"
                                 << r->body;
  const JsonValue& response = resolve(root, *documented);
  const JsonValue* content = response.find("content");
  if (content == nullptr) return;
  const JsonValue* json = content->find("application/json");
  if (json == nullptr) return;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  auto body = parse_json(r->body);
  ASSERT_TRUE(body.is_ok()) << r->body;
  std::vector<std::string> errors;
  validate(root, *json->find("schema"), *body, method + " " + documented_path, errors);
  for (const auto& e : errors) ADD_FAILURE() << e << "\n" << r->body.substr(0, 500);
}

class ServerOpenApi : public ::testing::Test {
 protected:
  void SetUp() override {
    PIXLAKE_REQUIRE_SERVER_DATA();
    root_ = load_openapi();
    ASSERT_TRUE(root_.find("paths"));
    server_ = std::make_unique<TestServer>();
    ASSERT_TRUE(server_->ok());
    client_ = server_->client();
  }
  JsonValue root_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerOpenApi, EveryDocumentedOperationExists) {
  int operations = 0;
  for (const auto& [documented, item] : root_.find("paths")->members()) {
    std::string url = documented;
    size_t at = url.find("{id}");
    if (at != std::string::npos) url.replace(at, 4, "1");
    for (const auto& [method, operation] : item.members()) {
      httplib::Result r = method == "get"    ? client_->Get(url)
                          : method == "post" ? client_->Post(url, "{}", "application/json")
                                             : client_->Delete(url, "{}", "application/json");
      ASSERT_TRUE(r) << method << " " << url;
      EXPECT_EQ(r->body.find("no such route"), std::string::npos) << method << " " << url;
      check_response(root_, documented, method, r);
      ++operations;
    }
  }
  EXPECT_EQ(operations, 18);
}

TEST_F(ServerOpenApi, ResponsesMatchTheirSchemas) {
  check_response(root_, "/api/health", "get", client_->Get("/api/health"));
  check_response(root_, "/api/models", "get", client_->Get("/api/models"));
  check_response(root_, "/api/images", "get", client_->Get("/api/images?limit=3"));
  check_response(root_, "/api/images", "get", client_->Get("/api/images?limit=0"));
  check_response(root_, "/api/images/{id}", "get", client_->Get("/api/images/2"));
  check_response(root_, "/api/images/{id}", "get", client_->Get("/api/images/12345"));
  check_response(root_, "/api/images/{id}/file", "get", client_->Get("/api/images/2/file"));
  check_response(root_, "/api/images/{id}/thumb", "get", client_->Get("/api/images/2/thumb"));
  check_response(root_, "/api/images/{id}/tags", "post",
                 client_->Post("/api/images/2/tags", "{\"tags\":[\"a\"]}", "application/json"));
  check_response(root_, "/api/images/{id}/tags", "delete",
                 client_->Delete("/api/images/2/tags", "{\"tags\":[\"a\"]}", "application/json"));
  check_response(root_, "/api/search", "get", client_->Get("/api/search?id=1&k=4"));
  check_response(root_, "/api/search", "get", client_->Get("/api/search?id=9999"));
  httplib::MultipartFormDataItems bad{{"image", "not an image", "x.jpg", ""}};
  check_response(root_, "/api/search", "post", client_->Post("/api/search", bad));
  check_response(root_, "/api/dups", "get", client_->Get("/api/dups"));
  check_response(root_, "/api/map", "get", client_->Get("/api/map"));
  check_response(root_, "/api/map", "get", client_->Get("/api/map?model=nope"));
  check_response(root_, "/api/metrics", "get", client_->Get("/api/metrics"));
}

TEST_F(ServerOpenApi, IngestResponsesMatchTheirSchemas) {
  auto root = lake_fixture::temp_dir("openapi_ingest");
  std::filesystem::copy_file(server_fixture::photo("accordion", 2), root / "a.jpg");
  server::ServeOptions options;
  options.ingest_roots = {root.string()};
  TestServer ingesting(options);
  ASSERT_TRUE(ingesting.ok());
  auto c = ingesting.client();
  check_response(
      root_, "/api/ingest", "post",
      c->Post("/api/ingest", "{\"path\":\"" + root.string() + "\"}", "application/json"));
  check_response(root_, "/api/ingest", "post",
                 c->Post("/api/ingest", "{\"path\":\"/etc\"}", "application/json"));
  for (int i = 0; i < 500; ++i) {
    auto r = c->Get("/api/jobs/1");
    check_response(root_, "/api/jobs/{id}", "get", r);
    if (r->body.find("\"state\":\"done\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(c->Get("/api/jobs/1")->body.find("\"report\""), std::string::npos);
  check_response(root_, "/api/jobs/{id}", "get", c->Get("/api/jobs/99"));
  std::filesystem::remove_all(root);
}

TEST_F(ServerOpenApi, TokenAndReadOnlyErrorsAreDocumented) {
  server::ServeOptions options;
  options.token = "tok";
  options.read_only = true;
  TestServer guarded(options);
  ASSERT_TRUE(guarded.ok());
  check_response(root_, "/api/health", "get", guarded.client()->Get("/api/health"));
  check_response(
      root_, "/api/images/{id}/tags", "post",
      guarded.client("tok")->Post("/api/images/1/tags", "{\"tags\":[\"a\"]}", "application/json"));
  check_response(root_, "/api/dups", "get", guarded.client("tok")->Get("/api/dups"));
}

}  // namespace
}  // namespace pixlake::testing
