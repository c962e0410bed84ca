// The API's routes, registered by topic (one file each), and the route templates used as
// metric labels.
#pragma once

#include <httplib.h>

#include <string>

#include "server_context.h"

namespace pixlake::server {

// GET /api/images, /api/images/{id}, /api/images/{id}/file, /api/images/{id}/thumb;
// POST and DELETE /api/images/{id}/tags.
void add_image_routes(httplib::Server& http, ServerContext& ctx);
// GET and POST /api/search.
void add_search_routes(httplib::Server& http, ServerContext& ctx);
// POST /api/ingest, GET /api/jobs/{id}.
void add_ingest_routes(httplib::Server& http, ServerContext& ctx);
// GET /api/health, /api/metrics, /api/models, /api/dups, /api/map.
void add_lake_routes(httplib::Server& http, ServerContext& ctx);

// The template of the route that `path` belongs to ("/api/images/{id}/thumb"), or "other".
std::string route_label(const std::string& path);

}  // namespace pixlake::server
