// Ingest of a server-side folder as a background job: POST /api/ingest queues it (only folders
// inside --ingest-root), GET /api/jobs/{id} reports its progress and, when done, its counts.
#include "core/json_text.h"
#include "core/json_value.h"
#include "http_util.h"
#include "routes.h"

namespace pixlake::server {

namespace {

std::string job_json(const IngestJob& job) {
  const IngestReport& r = job.report;
  std::string out = "{\"id\":" + std::to_string(job.id) + ",\"path\":" + json_quote(job.path) +
                    ",\"state\":\"" + ingest_job_state_name(job.state) + "\"" +
                    ",\"done\":" + std::to_string(job.progress.done) +
                    ",\"total\":" + std::to_string(job.progress.total) +
                    ",\"failed\":" + std::to_string(job.progress.failed);
  if (job.state == IngestJob::State::kDone) {
    out += ",\"report\":{\"scanned\":" + std::to_string(r.scanned) +
           ",\"added\":" + std::to_string(r.added) + ",\"updated\":" + std::to_string(r.updated) +
           ",\"moved\":" + std::to_string(r.moved) + ",\"embedded\":" + std::to_string(r.embedded) +
           ",\"unchanged\":" + std::to_string(r.unchanged) +
           ",\"failures\":" + std::to_string(r.failures.size()) + "}";
  }
  out += ",\"error\":" +
         (job.state == IngestJob::State::kFailed ? json_quote(job.error) : std::string("null"));
  return out + "}";
}

}  // namespace

void add_ingest_routes(httplib::Server& http, ServerContext& ctx) {
  http.Post("/api/ingest",
            guarded_write(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
              if (ctx.jobs == nullptr) {
                send_error(res, 403, "ingest_disabled",
                           "ingest is disabled on this server (start it with --ingest-root DIR)");
                return Status::ok();
              }
              auto body = parse_json(req.body, JsonLimits{.max_depth = 4, .max_bytes = 65536});
              if (!body.is_ok()) {
                return invalid_argument("ingest: the body is not JSON: " + body.status().message());
              }
              const JsonValue* path = body->find("path");
              if (path == nullptr || !path->is_string()) {
                return invalid_argument("ingest: the body must be {\"path\": \"/folder\"}");
              }
              PIXLAKE_ASSIGN_OR_RETURN(
                  IngestPathCheck check,
                  allowed_ingest_path(path->as_string(), ctx.options.ingest_roots));
              if (!check.allowed) {
                send_error(res, 403, "path_not_allowed", check.reason);
                return Status::ok();
              }
              int64_t id = ctx.jobs->start(check.path);
              auto job = ctx.jobs->get(id);
              res.set_header("Location", "/api/jobs/" + std::to_string(id));
              send_json(res, 202, job_json(*job));
              return Status::ok();
            }));

  http.Get(R"(/api/jobs/(\d+))",
           guarded([&ctx](const httplib::Request& req, httplib::Response& res) {
             PIXLAKE_ASSIGN_OR_RETURN(int64_t id, path_id(req));
             std::optional<IngestJob> job;
             if (ctx.jobs != nullptr) job = ctx.jobs->get(id);
             if (!job) return not_found("no job with id " + std::to_string(id));
             send_json(res, 200, job_json(*job));
             return Status::ok();
           }));
}

}  // namespace pixlake::server
