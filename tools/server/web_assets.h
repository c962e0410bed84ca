// The web page's files (tools/server/web/), embedded into the binary at build time by
// cmake/embed_web_assets.cmake, and the routes that serve them: GET / (index.html) and
// GET /assets/<name>. They hold no lake data, so they are served without the token (the page
// asks for it and sends it with every API request; see docs/http_api.md).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <span>
#include <string_view>

#include "server_context.h"

namespace pixlake::server {

struct WebAsset {
  const char* name;          // file name in tools/server/web/ ("app.js")
  const char* content_type;  // "text/javascript; charset=utf-8"
  const char* data;
  size_t size;
};

// Every embedded file, sorted by name (generated code).
std::span<const WebAsset> web_assets();

// The asset a request path names ("/" is index.html, "/assets/app.js" is app.js), or null.
const WebAsset* find_web_asset(std::string_view path);

// GET / and GET /assets/<name>; unknown names get 404.
void add_web_routes(httplib::Server& http);

}  // namespace pixlake::server
