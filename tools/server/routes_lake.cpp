// The lake as a whole: health, metrics, models, duplicate groups, the stored 2-D map.
#include <algorithm>
#include <cmath>

#include "core/json_text.h"
#include "core/json_value.h"
#include "http_util.h"
#include "lake/lake_clusters.h"
#include "lake/lake_dups_json.h"
#include "routes.h"
#include "service/image_service.h"
#include "service/lake_service.h"

namespace pixlake::server {
namespace {

Result<JsonValue> json_object_body(const std::string& body, const std::string& what) {
  auto json = parse_json(body.empty() ? "{}" : body,
                         JsonLimits{.max_depth = 4, .max_bytes = size_t{1} << 16});
  if (!json.is_ok())
    return invalid_argument(what + ": the body is not JSON: " + json.status().message());
  if (!json->is_object()) return invalid_argument(what + ": the body must be a JSON object");
  return json;
}

// An integer member in [min, max], or `fallback` when absent; InvalidArgument naming it.
Result<int64_t> int_member(const JsonValue& object, const std::string& what, const std::string& key,
                           int64_t fallback, int64_t min, int64_t max) {
  const JsonValue* v = object.find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number() || v->as_number() != std::floor(v->as_number()) || v->as_number() < min ||
      v->as_number() > max) {
    return invalid_argument(what + ": \"" + key + "\" must be an integer from " +
                            std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int64_t>(v->as_number());
}

Result<std::string> string_member(const JsonValue& object, const std::string& what,
                                  const std::string& key) {
  const JsonValue* v = object.find(key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return invalid_argument(what + ": \"" + key + "\" must be a string");
  return v->as_string();
}

Result<ClusterRequest> parse_cluster_body(const std::string& body) {
  PIXLAKE_ASSIGN_OR_RETURN(JsonValue json, json_object_body(body, "clusters"));
  ClusterRequest request;
  PIXLAKE_ASSIGN_OR_RETURN(int64_t k, int_member(json, "clusters", "k", 0, 0, 10000));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t seed,
                           int_member(json, "clusters", "seed", 1, 0, int64_t{1} << 40));
  request.k = static_cast<int>(k);
  request.seed = static_cast<uint64_t>(seed);
  PIXLAKE_ASSIGN_OR_RETURN(request.where, string_member(json, "clusters", "where"));
  PIXLAKE_ASSIGN_OR_RETURN(request.model, string_member(json, "clusters", "model"));
  return request;
}

struct DupVerdictBody {
  int64_t a = 0;
  int64_t b = 0;
  bool duplicate = false;
};

Result<DupVerdictBody> parse_verdict_body(const std::string& body) {
  PIXLAKE_ASSIGN_OR_RETURN(JsonValue json, json_object_body(body, "verdict"));
  DupVerdictBody verdict;
  constexpr int64_t kMaxId = int64_t{1} << 53;
  PIXLAKE_ASSIGN_OR_RETURN(verdict.a, int_member(json, "verdict", "a", -1, 1, kMaxId));
  PIXLAKE_ASSIGN_OR_RETURN(verdict.b, int_member(json, "verdict", "b", -1, 1, kMaxId));
  const JsonValue* duplicate = json.find("duplicate");
  if (verdict.a < 0 || verdict.b < 0 || duplicate == nullptr || !duplicate->is_bool()) {
    return invalid_argument(
        "verdict: the body must be {\"a\": ID, \"b\": ID, \"duplicate\": true|false}");
  }
  if (verdict.a == verdict.b) return invalid_argument("verdict: a and b must be two images");
  verdict.duplicate = duplicate->as_bool();
  return verdict;
}

}  // namespace

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

  // POST {"k": N, "where": EXPR, "model": M, "seed": S} (all optional): runs pixlake cluster,
  // which rewrites the images' cluster:<n> tags. GET: the cluster tags there are, with sizes.
  http.Post("/api/clusters",
            guarded_write(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
              PIXLAKE_ASSIGN_OR_RETURN(ClusterRequest request, parse_cluster_body(req.body));
              request.threads = 2;
              PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->writer());
              PIXLAKE_ASSIGN_OR_RETURN(ClusterReport report, cluster_lake(*lake, request));
              std::string body = "{\"model\":" + json_quote(report.model) +
                                 ",\"images\":" + std::to_string(report.images) +
                                 ",\"k\":" + std::to_string(report.k) + ",\"clusters\":[";
              for (size_t c = 0; c < report.clusters.size(); ++c) {
                const ClusterSummary& cluster = report.clusters[c];
                body += std::string(c ? "," : "") +
                        "{\"tag\":\"cluster:" + std::to_string(cluster.cluster) +
                        "\",\"size\":" + std::to_string(cluster.size) +
                        ",\"representative\":" + std::to_string(cluster.representative) + "}";
              }
              send_json(res, 200, body + "]}");
              return Status::ok();
            }));
  http.Get("/api/clusters", guarded([&ctx](const httplib::Request&, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
             PIXLAKE_ASSIGN_OR_RETURN(auto counts,
                                      lake->catalog().tag_counts_with_prefix("cluster:"));
             std::string body = "{\"clusters\":[";
             for (size_t i = 0; i < counts.size(); ++i) {
               body += std::string(i ? "," : "") + "{\"tag\":" + json_quote(counts[i].first) +
                       ",\"size\":" + std::to_string(counts[i].second) + "}";
             }
             send_json(res, 200, body + "]}");
             return Status::ok();
           }));

  // POST {"a": ID, "b": ID, "duplicate": false}: remembered by later duplicate searches
  // (pixlake dups --not-dup / --is-dup).
  http.Post("/api/dups/verdict",
            guarded_write(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
              PIXLAKE_ASSIGN_OR_RETURN(DupVerdictBody verdict, parse_verdict_body(req.body));
              PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->writer());
              for (int64_t id : {verdict.a, verdict.b}) {
                PIXLAKE_ASSIGN_OR_RETURN(auto found, lake->catalog().find_by_id(id));
                if (!found) return not_found("no image with id " + std::to_string(id));
              }
              PIXLAKE_RETURN_IF_ERROR(
                  lake->catalog().set_dup_verdict(verdict.a, verdict.b, verdict.duplicate));
              send_json(res, 200,
                        "{\"a\":" + std::to_string(std::min(verdict.a, verdict.b)) +
                            ",\"b\":" + std::to_string(std::max(verdict.a, verdict.b)) +
                            ",\"duplicate\":" + (verdict.duplicate ? "true" : "false") + "}");
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
  for (const char* fixed :
       {"/api/health", "/api/metrics", "/api/models", "/api/images", "/api/search", "/api/dups",
        "/api/map", "/api/ingest", "/api/clusters", "/api/dups/verdict"}) {
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
