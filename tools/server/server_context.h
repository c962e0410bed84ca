// What every route handler shares: the options, the lake (readers and the writer), the query
// embedder for uploads and the metrics.
#pragma once

#include <memory>

#include "metrics.h"
#include "serve_options.h"
#include "service/index_cache.h"
#include "service/ingest_jobs.h"
#include "service/query_embedder.h"
#include "service/shared_lake.h"

namespace pixlake::server {

struct ServerContext {
  ServeOptions options;
  std::unique_ptr<SharedLake> lake;
  std::unique_ptr<QueryEmbedder> embedder;
  LakeIndexCache indexes;  // opened vector indexes, shared by every search
  Metrics metrics;
  // Background ingest; null when the server is read-only or has no --ingest-root. Declared
  // after `lake` so that it is destroyed (its running job finished) first.
  std::unique_ptr<IngestJobs> jobs;
};

}  // namespace pixlake::server
