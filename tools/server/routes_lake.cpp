// The lake as a whole: health, metrics, models, duplicate groups, the stored 2-D map.
#include "core/json_text.h"
#include "http_util.h"
#include "lake/lake_dups_json.h"
#include "routes.h"
#include "service/image_service.h"
#include "service/lake_service.h"

namespace pixlake::server {

void add_lake_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/health", guarded([&ctx](const httplib::Request&, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(int64_t images, lake->catalog().count_images());
             send_json(res, 200,
                       "{\"status\":\"ok\",\"images\":" + std::to_string(images) +
                           ",\"read_only\":" + (ctx.lake->writable() ? "false" : "true") +
                           ",\"version\":\"" PIXLAKE_VERSION "\"}");
             return Status::ok();
           }));

  http.Get("/api/metrics", guarded([&ctx](const httplib::Request&, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(int64_t images, lake->catalog().count_images());
             res.status = 200;
             res.set_content(ctx.metrics.prometheus(images), "text/plain; version=0.0.4");
             return Status::ok();
           }));

  http.Get("/api/models", guarded([&ctx](const httplib::Request&, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(LakeInfo info, lake_info(*lake));
             std::string body = "{\"default\":" + json_quote(info.default_model) + ",\"models\":[";
             for (size_t i = 0; i < info.models.size(); ++i) {
               const auto& m = info.models[i];
               body += std::string(i ? "," : "") + "{\"name\":" + json_quote(m.model.name) +
                       ",\"layer\":" + json_quote(m.model.layer) +
                       ",\"dim\":" + std::to_string(m.model.dim) +
                       ",\"embedded\":" + std::to_string(m.embedded) + "}";
             }
             send_json(res, 200, body + "]}");
             return Status::ok();
           }));

  // Duplicate detection may store perceptual hashes it computes, so it needs the writer: a
  // read-only server answers 403 (run `pixlake dups` once, or serve without --read-only).
  http.Get("/api/dups",
           guarded_write(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
             LakeDupOptions options;
             PIXLAKE_ASSIGN_OR_RETURN(int64_t k, int_param(req, "k", 10, 1, 100));
             options.k = static_cast<int>(k);
             options.model = text_param(req, "model");
             options.limits = ctx.options.upload_limits;
             options.threads = 2;
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->writer());
             PIXLAKE_ASSIGN_OR_RETURN(LakeDupReport report, find_lake_duplicates(*lake, options));
             send_json(res, 200, dups_report_json(report));
             return Status::ok();
           }));

  http.Get("/api/map", guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(std::string body,
                                      read_lake_map(*lake, text_param(req, "model")));
             send_json(res, 200, body);
             return Status::ok();
           }));
}

std::string route_label(const std::string& path) {
  for (const char* fixed : {"/api/health", "/api/metrics", "/api/models", "/api/images",
                            "/api/search", "/api/dups", "/api/map", "/api/ingest"}) {
    if (path == fixed) return fixed;
  }
  // PREFIX + digits + one of the suffixes, as the routes' patterns match them. (Hand-written:
  // <regex> trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
  auto id_route = [&path](const std::string& prefix, const std::string& suffix) {
    if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) ||
        path.compare(path.size() - suffix.size(), suffix.size(), suffix)) {
      return false;
    }
    for (size_t i = prefix.size(); i < path.size() - suffix.size(); ++i) {
      if (path[i] < '0' || path[i] > '9') return false;
    }
    return true;
  };
  for (const char* suffix : {"", "/file", "/thumb", "/tags"}) {
    if (id_route("/api/images/", suffix)) return std::string("/api/images/{id}") + suffix;
  }
  if (id_route("/api/jobs/", "")) return "/api/jobs/{id}";
  if (path == "/") return "/";
  if (path.starts_with("/assets/")) return "/assets/{name}";
  return "other";
}

}  // namespace pixlake::server
