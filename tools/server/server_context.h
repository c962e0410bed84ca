// What every route handler shares: the options, the lake (readers and the writer), the query
// embedder for uploads and the metrics.
#pragma once

#include <memory>

#include "metrics.h"
#include "serve_options.h"
#include "service/query_embedder.h"
#include "service/shared_lake.h"

namespace pixlake::server {

struct ServerContext {
  ServeOptions options;
  std::unique_ptr<SharedLake> lake;
  std::unique_ptr<QueryEmbedder> embedder;
  Metrics metrics;
};

}  // namespace pixlake::server
