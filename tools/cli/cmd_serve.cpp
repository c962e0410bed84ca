// `pixlake serve`: the HTTP API over a lake (tools/server/, docs/http_api.md).
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <thread>

#include "args.h"
#include "commands.h"
#include "http_server.h"

namespace pixlake::cli {

namespace {

int g_stop_pipe[2] = {-1, -1};

void on_stop_signal(int) {
  char byte = 1;
  ssize_t ignored = ::write(g_stop_pipe[1], &byte, 1);  // async-signal-safe
  (void)ignored;
}

}  // namespace

int cmd_serve(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {.valued = {"--host", "--port", "--token", "--threads",
                                           "--max-upload-mb", "--max-pixels", "--ingest-root"},
                                .switches = {"--read-only"}});
  if (!args.is_ok()) return fail(args.status().message());
  if (args->positional.size() != 1) {
    return fail(
        "serve: usage: pixlake serve LAKE [--host 127.0.0.1] [--port 8080] [--token T] "
        "[--read-only] [--threads 8] [--max-upload-mb 32] [--max-pixels N] "
        "[--ingest-root DIR[,DIR...]]");
  }
  server::ServeOptions options;
  options.lake = args->positional[0];
  options.host = args->get("--host", options.host);
  options.token = args->get("--token");
  options.read_only = args->has("--read-only");
  std::string roots = args->get("--ingest-root");
  for (size_t start = 0; !roots.empty() && start <= roots.size();) {
    size_t comma = roots.find(',', start);
    std::string root = roots.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!root.empty()) options.ingest_roots.push_back(root);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (args->get("--port") == "0") {
    options.port = 0;
  } else {
    Status status = read_positive_int(*args, "--port", &options.port, 65535);
    if (!status.is_ok()) return fail(status.message());
  }
  int64_t upload_mb = 32;
  for (Status status : {read_positive_int(*args, "--threads", &options.threads, 256),
                        read_positive_int(*args, "--max-upload-mb", &upload_mb, 1024),
                        read_positive_int(*args, "--max-pixels", &options.upload_limits.max_pixels,
                                          int64_t{1} << 34)}) {
    if (!status.is_ok()) return fail(status.message());
  }
  options.max_upload_bytes = upload_mb << 20;
  options.upload_limits.max_file_bytes = options.max_upload_bytes;

  // SIGINT / SIGTERM stop the server. Any thread may receive them (libraries such as OpenBLAS
  // start threads before main, so a signal mask cannot cover every thread): the handler only
  // writes a byte to a pipe, and a thread of ours reads it and stops the server.
  if (::pipe2(g_stop_pipe, O_CLOEXEC) != 0) return fail("serve: cannot create a pipe");
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  // A client that hangs up mid-answer must not kill the server.
  ::signal(SIGPIPE, SIG_IGN);

  auto server = server::HttpServer::start(options);
  if (!server.is_ok()) return fail(server.status().message());
  server::HttpServer* running = server->get();
  std::thread([running] {
    char byte;
    while (::read(g_stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
    running->stop();
  }).detach();
  std::printf("pixlake: serving %s on http://%s:%d/api/ (%s%s)\n", options.lake.c_str(),
              options.host.c_str(), running->port(), options.read_only ? "read-only" : "read-write",
              options.token.empty() ? "" : ", token required");
  std::fflush(stdout);
  running->run();
  return 0;
}

}  // namespace pixlake::cli
