#include "http_util.h"

#include <charconv>
#include <cstdio>

#include "core/json_text.h"

namespace pixlake::server {

int http_status_for(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kUnsupported:
    case StatusCode::kDeadlineExceeded: return 422;
    default: return 500;
  }
}

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  send_json(
      res, status,
      "{\"error\":{\"code\":" + json_quote(code) + ",\"message\":" + json_quote(message) + "}}");
}

void send_status(httplib::Response& res, const Status& status) {
  const int http = http_status_for(status.code());
  if (http >= 500) {
    // Server-side failures (I/O, corrupt files, a model that cannot be loaded) may name files
    // outside the lake: the detail goes to the operator's log, the client gets the code only.
    std::fprintf(stderr, "pixlake: serve: %s\n", status.message().c_str());
    send_error(res, http, status_code_name(status.code()),
               "the server failed to answer this request (details are in its log)");
    return;
  }
  send_error(res, http, status_code_name(status.code()), status.message());
}

std::string text_param(const httplib::Request& req, const std::string& name) {
  if (req.has_param(name)) return req.get_param_value(name);
  if (req.has_file(name)) return req.get_file_value(name).content;
  return "";
}

Result<int64_t> int_param(const httplib::Request& req, const std::string& name, int64_t fallback,
                          int64_t min, int64_t max) {
  if (!req.has_param(name) && !req.has_file(name)) return fallback;
  const std::string text = text_param(req, name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return invalid_argument("parameter '" + name + "' must be an integer " + std::to_string(min) +
                            ".." + std::to_string(max));
  }
  return value;
}

Result<int64_t> path_id(const httplib::Request& req) {
  const std::string text = req.matches.size() > 1 ? req.matches[1].str() : "";
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return invalid_argument("the id in the path must be a positive integer");
  }
  return value;
}

httplib::Server::Handler guarded(RouteFn fn) {
  return [fn = std::move(fn)](const httplib::Request& req, httplib::Response& res) {
    try {
      Status status = fn(req, res);
      if (!status.is_ok()) send_status(res, status);
    } catch (...) {
      send_error(res, 500, "internal", "the server failed to answer this request");
    }
  };
}

httplib::Server::Handler guarded_write(ServerContext& ctx, RouteFn fn) {
  auto inner = guarded(std::move(fn));
  return [&ctx, inner](const httplib::Request& req, httplib::Response& res) {
    if (!ctx.lake->writable()) {
      send_error(res, 403, "read_only", "the server is read-only (started with --read-only)");
      return;
    }
    inner(req, res);
  };
}

std::string image_json(const ImageRecord& r) {
  auto opt_int = [](const std::optional<int64_t>& v) {
    return v ? std::to_string(*v) : std::string("null");
  };
  auto opt_double = [](const std::optional<double>& v) {
    if (!v) return std::string("null");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7f", *v);
    return std::string(buf);
  };
  std::string out =
      "{\"id\":" + std::to_string(r.id) + ",\"path\":" + json_quote(r.path) +
      ",\"hash\":" + json_quote(r.hash) + ",\"size\":" + std::to_string(r.size_bytes) +
      ",\"width\":" + std::to_string(r.width) + ",\"height\":" + std::to_string(r.height) +
      ",\"mtime\":" + std::to_string(r.mtime) + ",\"format\":" + json_quote(r.format) +
      ",\"camera\":" + json_quote(r.camera) + ",\"taken\":" + opt_int(r.taken) +
      ",\"gps_lat\":" + opt_double(r.gps_lat) + ",\"gps_lon\":" + opt_double(r.gps_lon) +
      ",\"added\":" + std::to_string(r.added) + ",\"tags\":[";
  for (size_t i = 0; i < r.tags.size(); ++i) out += (i ? "," : "") + json_quote(r.tags[i]);
  out += "],\"meta\":{";
  bool first = true;
  for (const auto& [key, value] : r.meta) {
    out += (first ? "" : ",") + json_quote(key) + ":" + json_quote(value);
    first = false;
  }
  return out + "}}";
}

}  // namespace pixlake::server
