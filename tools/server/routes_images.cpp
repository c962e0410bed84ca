// Browsing the lake: paged listing, one image's metadata, its file, its thumbnail, its tags.
#include <algorithm>
#include <fstream>
#include <memory>

#include "core/json_text.h"
#include "core/json_value.h"
#include "http_util.h"
#include "routes.h"
#include "service/image_service.h"

namespace pixlake::server {

namespace {

// {"tags": ["a", "b"]} -> the list; InvalidArgument naming what is wrong.
Result<std::vector<std::string>> parse_tags_body(const std::string& body) {
  auto json = parse_json(body, JsonLimits{.max_depth = 8, .max_bytes = size_t{1} << 20});
  if (!json.is_ok())
    return invalid_argument("tags: the body is not JSON: " + json.status().message());
  const JsonValue* tags = json->find("tags");
  if (tags == nullptr || !tags->is_array()) {
    return invalid_argument("tags: the body must be an object {\"tags\": [\"name\", ...]}");
  }
  if (tags->items().size() > 1000) return invalid_argument("tags: at most 1000 tags at once");
  std::vector<std::string> out;
  for (const JsonValue& t : tags->items()) {
    if (!t.is_string()) return invalid_argument("tags: every tag must be a string");
    out.push_back(t.as_string());
  }
  return out;
}

}  // namespace

void add_image_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/images", guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(int64_t offset,
                                      int_param(req, "offset", 0, 0, int64_t{1} << 40));
             PIXLAKE_ASSIGN_OR_RETURN(int64_t limit,
                                      int_param(req, "limit", 100, 1, ctx.options.max_page));
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(
                 ImagePage page, list_image_page(*lake, text_param(req, "where"), offset, limit));
             std::string body = "{\"total\":" + std::to_string(page.total) +
                                ",\"offset\":" + std::to_string(page.offset) +
                                ",\"limit\":" + std::to_string(limit) + ",\"images\":[";
             for (size_t i = 0; i < page.images.size(); ++i) {
               body += (i ? "," : "") + image_json(page.images[i]);
             }
             send_json(res, 200, body + "]}");
             return Status::ok();
           }));

  http.Get(R"(/api/images/(\d+))",
           guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(int64_t id, path_id(req));
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(ImageRecord record, get_image(*lake, id));
             send_json(res, 200, image_json(record));
             return Status::ok();
           }));

  http.Get(R"(/api/images/(\d+)/file)",
           guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(int64_t id, path_id(req));
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(ImageFile file, image_file(*lake, id));
             auto in = std::make_shared<std::ifstream>(file.path, std::ios::binary);
             if (!*in) return not_found("image " + std::to_string(id) + ": cannot be read");
             res.status = 200;
             res.set_header("X-Content-Type-Options", "nosniff");
             // Streamed in 64 KiB pieces rather than read whole into memory.
             res.set_content_provider(
                 static_cast<size_t>(file.size), file.content_type.c_str(),
                 [in](size_t offset, size_t length, httplib::DataSink& sink) {
                   char buffer[65536];
                   in->clear();
                   in->seekg(static_cast<std::streamoff>(offset));
                   in->read(buffer, static_cast<std::streamsize>(std::min(length, sizeof buffer)));
                   std::streamsize got = in->gcount();
                   if (got <= 0) return false;  // the file shrank: end the response
                   return sink.write(buffer, static_cast<size_t>(got));
                 });
             return Status::ok();
           }));

  http.Get(R"(/api/images/(\d+)/thumb)",
           guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(int64_t id, path_id(req));
             PIXLAKE_ASSIGN_OR_RETURN(int64_t size,
                                      int_param(req, "size", 256, kMinThumbSize, kMaxThumbSize));
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(
                 std::string bytes,
                 image_thumbnail(*lake, id, static_cast<int>(size), ctx.options.upload_limits));
             res.status = 200;
             res.set_header("Cache-Control", "private, max-age=3600");
             res.set_header("X-Content-Type-Options", "nosniff");
             res.set_content(std::move(bytes), "image/jpeg");
             return Status::ok();
           }));

  auto tag_route = [&ctx](bool add) {
    return guarded_write(ctx, [&ctx, add](const httplib::Request& req, httplib::Response& res) {
      PIXLAKE_ASSIGN_OR_RETURN(int64_t id, path_id(req));
      PIXLAKE_ASSIGN_OR_RETURN(auto tags, parse_tags_body(req.body));
      TagChange change;
      (add ? change.add : change.remove) = std::move(tags);
      PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->writer());
      PIXLAKE_ASSIGN_OR_RETURN(auto after, change_image_tags(*lake, id, change));
      std::string body = "{\"id\":" + std::to_string(id) + ",\"tags\":[";
      for (size_t i = 0; i < after.size(); ++i) body += (i ? "," : "") + json_quote(after[i]);
      send_json(res, 200, body + "]}");
      return Status::ok();
    });
  };
  http.Post(R"(/api/images/(\d+)/tags)", tag_route(true));
  http.Delete(R"(/api/images/(\d+)/tags)", tag_route(false));
}

}  // namespace pixlake::server
