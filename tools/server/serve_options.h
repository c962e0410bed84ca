// What `pixlake serve` is told: where to listen, the token, whether writes are allowed, and the
// limits on what a request may send.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"

namespace pixlake::server {

struct ServeOptions {
  std::string lake;
  std::string host = "127.0.0.1";
  int port = 8080;    // 0: any free port (tests)
  std::string token;  // when set, every request needs "Authorization: Bearer <token>"
  bool read_only = false;
  // Folders (absolute) whose contents POST /api/ingest may add; empty: ingest is disabled.
  std::vector<std::string> ingest_roots;
  int threads = 8;                               // request worker threads
  int64_t max_upload_bytes = int64_t{32} << 20;  // request bodies; larger ones get 413
  int read_timeout_s = 10;
  int max_k = 1000;
  int max_page = 1000;
  DecodeLimits upload_limits{
      .max_pixels = 50'000'000, .max_file_bytes = int64_t{32} << 20, .max_decode_ms = 5000};
};

}  // namespace pixlake::server
