// The web page: index.html at /, the other embedded files at /assets/<name>.
#include "http_util.h"
#include "web_assets.h"

namespace pixlake::server {

namespace {

// Same-origin only: scripts, styles and API calls come from this server; thumbnails may be
// blob: URLs (fetched with the token) or data: URLs; the page may not be framed.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void send_asset(const WebAsset& asset, httplib::Response& res) {
  res.status = 200;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("Referrer-Policy", "no-referrer");
  // The files change with the binary: revalidate rather than cache across upgrades.
  res.set_header("Cache-Control", "no-cache");
  res.set_content(asset.data, asset.size, asset.content_type);
}

}  // namespace

const WebAsset* find_web_asset(std::string_view path) {
  std::string_view name;
  constexpr std::string_view kPrefix = "/assets/";
  if (path == "/") {
    name = "index.html";
  } else if (path.starts_with(kPrefix)) {
    name = path.substr(kPrefix.size());
  } else {
    return nullptr;
  }
  // Exact names only: nothing is read from disk, so "..", "%2e" and the like simply do not match.
  for (const WebAsset& asset : web_assets()) {
    if (name == asset.name) return &asset;
  }
  return nullptr;
}

void add_web_routes(httplib::Server& http) {
  auto handler = [](const httplib::Request& req, httplib::Response& res) {
    const WebAsset* asset = find_web_asset(req.path);
    if (asset == nullptr) {
      send_error(res, 404, "not_found", "no such asset");
      return;
    }
    send_asset(*asset, res);
  };
  http.Get("/", handler);
  http.Get(R"(/assets/([A-Za-z0-9_.-]+))", handler);
}

}  // namespace pixlake::server
