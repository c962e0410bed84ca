// Similarity search: by an image of the lake (id or path) with GET, by an uploaded image with a
// multipart POST. The upload is decoded under the server's DecodeLimits (pixels, bytes, time).
#include "core/json_text.h"
#include "http_util.h"
#include "routes.h"
#include "service/lake_service.h"

namespace pixlake::server {

namespace {

// k, where and model from the query string or the multipart form.
Result<SearchRequest> common_request(const httplib::Request& req, const ServerContext& ctx) {
  SearchRequest request;
  PIXLAKE_ASSIGN_OR_RETURN(int64_t k, int_param(req, "k", 20, 1, ctx.options.max_k));
  request.k = static_cast<int>(k);
  request.where = text_param(req, "where");
  request.model = text_param(req, "model");
  return request;
}

Status answer(ServerContext& ctx, SearchRequest& request, httplib::Response& res) {
  PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake->resolve_model_name(request.model));
  request.model = model;
  PIXLAKE_ASSIGN_OR_RETURN(auto results, search_lake(*lake, request, &ctx.indexes));
  std::string body = "{\"model\":" + json_quote(model) + ",\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    char score[32];
    std::snprintf(score, sizeof score, "%.6f", static_cast<double>(r.score));
    body += std::string(i ? "," : "") + "{\"id\":" + std::to_string(r.id) + ",\"score\":" + score +
            ",\"path\":" + json_quote(r.path) + "}";
  }
  send_json(res, 200, body + "]}");
  return Status::ok();
}

}  // namespace

void add_search_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/search", guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(SearchRequest request, common_request(req, ctx));
             if (req.has_param("id") == req.has_param("path")) {
               return invalid_argument("search: give exactly one of the parameters id and path");
             }
             if (req.has_param("id")) {
               PIXLAKE_ASSIGN_OR_RETURN(int64_t id, int_param(req, "id", 0, 1, int64_t{1} << 62));
               request.id = id;
             } else {
               request.path = req.get_param_value("path");
               if (request.path.empty()) return invalid_argument("search: 'path' is empty");
             }
             return answer(ctx, request, res);
           }));

  http.Post("/api/search", guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
              if (!req.is_multipart_form_data() || !req.has_file("image")) {
                return invalid_argument(
                    "search: POST expects multipart/form-data with the query image in a field "
                    "named 'image'");
              }
              PIXLAKE_ASSIGN_OR_RETURN(SearchRequest request, common_request(req, ctx));
              {
                PIXLAKE_ASSIGN_OR_RETURN(auto lake, ctx.lake->reader());
                PIXLAKE_ASSIGN_OR_RETURN(std::string model,
                                         lake->resolve_model_name(request.model));
                // Only a model the lake holds is ever loaded (a name, never a file path).
                PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake->store(model));
                (void)store;
                request.model = model;
              }
              PIXLAKE_ASSIGN_OR_RETURN(
                  request.vector,
                  ctx.embedder->embed(request.model, req.get_file_value("image").content));
              return answer(ctx, request, res);
            }));
}

}  // namespace pixlake::server
