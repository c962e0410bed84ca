#include "access_guard.h"

#include <arpa/inet.h>

namespace pixlake::server {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  if (::inet_pton(AF_INET, host.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

Status check_serve_options(const ServeOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    return invalid_argument("serve: --port must be 0..65535");
  }
  if (options.threads < 1 || options.threads > 256) {
    return invalid_argument("serve: --threads must be 1..256");
  }
  if (!is_loopback_host(options.host) && !options.read_only && options.token.empty()) {
    return invalid_argument("serve: refusing to accept writes on '" + options.host +
                            "' (beyond loopback) without --token; set --token T or --read-only");
  }
  for (const auto& root : options.ingest_roots) {
    if (root.empty() || root[0] != '/') {
      return invalid_argument("serve: --ingest-root '" + root + "' must be an absolute path");
    }
  }
  for (char c : options.token) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return invalid_argument("serve: --token must be printable ASCII without spaces");
    }
  }
  return Status::ok();
}

bool bearer_token_matches(const std::string& authorization, const std::string& token) {
  const std::string expected = "Bearer " + token;
  // Constant time in the content: every byte of the longer string is looked at.
  size_t n = std::max(expected.size(), authorization.size());
  unsigned diff = expected.size() == authorization.size() ? 0u : 1u;
  for (size_t i = 0; i < n; ++i) {
    unsigned char a = i < expected.size() ? static_cast<unsigned char>(expected[i]) : 0;
    unsigned char b = i < authorization.size() ? static_cast<unsigned char>(authorization[i]) : 0;
    diff |= static_cast<unsigned>(a ^ b);
  }
  return diff == 0;
}

}  // namespace pixlake::server
