// Small helpers shared by the route files: JSON responses and errors, query parameters, a guard
// that turns a Status (or an exception) into the house error format, and record -> JSON.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <string>

#include "lake/image_record.h"
#include "pixlake/status.h"
#include "server_context.h"

namespace pixlake::server {

// InvalidArgument 400, NotFound 404, Unsupported / DeadlineExceeded 422, else 500.
int http_status_for(StatusCode code);

void send_json(httplib::Response& res, int status, const std::string& body);
// {"error":{"code":"...","message":"..."}}
void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message);
void send_status(httplib::Response& res, const Status& status);

// An integer query (or multipart form) parameter within [min, max]; `fallback` when absent.
Result<int64_t> int_param(const httplib::Request& req, const std::string& name, int64_t fallback,
                          int64_t min, int64_t max);
// A text parameter from the query string or a multipart field ("" when absent).
std::string text_param(const httplib::Request& req, const std::string& name);
// The {id} of a route ("/api/images/(\d+)..."): InvalidArgument when out of range.
Result<int64_t> path_id(const httplib::Request& req);

using RouteFn = std::function<Status(const httplib::Request&, httplib::Response&)>;
// Runs `fn`; a non-ok Status becomes its error response, an exception a 500 without details.
httplib::Server::Handler guarded(RouteFn fn);
// As guarded, for routes that change the lake: 403 when the server is read-only.
httplib::Server::Handler guarded_write(ServerContext& ctx, RouteFn fn);

std::string image_json(const ImageRecord& record);

}  // namespace pixlake::server
