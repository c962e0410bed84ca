// `pixlake serve`: the HTTP server over src/service/. It owns the lake (a pool of readers, and
// the writer unless read-only), binds to the configured address, and answers on cpp-httplib's
// worker threads. Access rules (loopback by default, bearer token, read-only) are applied
// before any route runs; see docs/http_api.md.
#pragma once

#include <memory>

#include "pixlake/status.h"
#include "serve_options.h"

namespace httplib {
class Server;
}

namespace pixlake::server {

struct ServerContext;

class HttpServer {
 public:
  // Checks the options, opens the lake and binds the socket (port 0: any free port).
  static Result<std::unique_ptr<HttpServer>> start(const ServeOptions& options);
  ~HttpServer();

  int port() const { return port_; }
  // Serves until stop() is called (from another thread or a signal handler's thread).
  void run();
  // Stops run(); thread-safe.
  void stop();

 private:
  HttpServer() = default;
  void configure();

  std::unique_ptr<ServerContext> ctx_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

}  // namespace pixlake::server
