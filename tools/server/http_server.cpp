#include "http_server.h"

#include <httplib.h>

#include <chrono>

#include "access_guard.h"
#include "http_util.h"
#include "routes.h"
#include "server_context.h"
#include "web_assets.h"

namespace pixlake::server {

namespace {

// When the current request started, set before routing (same worker thread as the logger).
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local bool t_request_started = false;

const char* default_error_code(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 416: return "range_not_satisfiable";
    default: return status >= 500 ? "internal" : "bad_request";
  }
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(const ServeOptions& options) {
  PIXLAKE_RETURN_IF_ERROR(check_serve_options(options));
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->ctx_ = std::make_unique<ServerContext>();
  server->ctx_->options = options;
  PIXLAKE_ASSIGN_OR_RETURN(server->ctx_->lake, SharedLake::open(options.lake, !options.read_only));
  server->ctx_->embedder = std::make_unique<QueryEmbedder>(options.upload_limits);
  if (!options.read_only && !options.ingest_roots.empty()) {
    IngestOptions ingest_options;
    ingest_options.limits.max_decode_ms = 30'000;
    server->ctx_->jobs = std::make_unique<IngestJobs>(*server->ctx_->lake, ingest_options);
  }
  server->http_ = std::make_unique<httplib::Server>();
  server->configure();
  if (options.port == 0) {
    server->port_ = server->http_->bind_to_any_port(options.host);
    if (server->port_ <= 0) return io_error("serve: cannot bind to " + options.host);
  } else {
    if (!server->http_->bind_to_port(options.host, options.port)) {
      return io_error("serve: cannot bind to " + options.host + ":" + std::to_string(options.port) +
                      " (in use, or not an address of this host)");
    }
    server->port_ = options.port;
  }
  return server;
}

HttpServer::~HttpServer() {
  if (http_) http_->stop();
}

void HttpServer::run() { http_->listen_after_bind(); }

void HttpServer::stop() { http_->stop(); }

void HttpServer::configure() {
  ServerContext& ctx = *ctx_;
  httplib::Server& http = *http_;
  const int threads = ctx.options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(static_cast<size_t>(ctx.options.max_upload_bytes));
  http.set_read_timeout(ctx.options.read_timeout_s, 0);
  http.set_write_timeout(ctx.options.read_timeout_s, 0);
  http.set_keep_alive_max_count(1000);
  // Small JSON answers on keep-alive connections: without TCP_NODELAY, Nagle's algorithm and
  // the client's delayed ACK add ~40 ms to each response.
  http.set_tcp_nodelay(true);

  // Runs before routing and before a request body is read: the token is checked first, so an
  // unauthenticated client cannot make the server read (or decode) an upload.
  http.set_pre_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    t_request_started = true;
    // The page's own files hold no lake data and are public, so that a browser can load the
    // page that then asks for the token; only exact embedded names are let through.
    const bool public_asset =
        (req.method == "GET" || req.method == "HEAD") && find_web_asset(req.path) != nullptr;
    if (!ctx.options.token.empty() && !public_asset &&
        !bearer_token_matches(req.get_header_value("Authorization"), ctx.options.token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401, "unauthorized", "this server needs 'Authorization: Bearer <token>'");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  add_lake_routes(http, ctx);
  add_image_routes(http, ctx);
  add_search_routes(http, ctx);
  add_ingest_routes(http, ctx);
  add_web_routes(http);

  // Every 4xx/5xx without a body (unknown route, 413 from the body limit, malformed request)
  // gets the house error format; handlers' own errors are left alone.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const char* code = default_error_code(res.status);
        std::string message = res.status == 404   ? "no such route"
                              : res.status == 413 ? "the request body is over the upload limit"
                                                  : "the request could not be processed";
        send_error(res, res.status, code, message);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_error(res, 500, "internal", "the server failed to answer this request");
      });
  // Counted just before the response is written (so a client that reads /api/metrics after an
  // answer always finds it counted); runs for error responses too.
  http.set_post_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
    double seconds = 0;
    if (t_request_started) {
      seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_start).count();
    }
    t_request_started = false;
    const std::string& method = req.method;
    bool known_method = method == "GET" || method == "POST" || method == "DELETE" ||
                        method == "PUT" || method == "HEAD" || method == "OPTIONS" ||
                        method == "PATCH";
    ctx.metrics.record(route_label(req.path), known_method ? method : "other", res.status, seconds);
  });
}

}  // namespace pixlake::server
