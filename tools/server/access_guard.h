// The server's access rules, kept apart from the routes so that they are easy to read and test:
// which hosts count as loopback, when a configuration must be refused, and the token check.
#pragma once

#include <string>

#include "pixlake/status.h"
#include "serve_options.h"

namespace pixlake::server {

// "localhost", "::1" and 127.0.0.0/8 addresses.
bool is_loopback_host(const std::string& host);

// InvalidArgument when the server would accept writes from beyond loopback without a token,
// or when the options are out of range.
Status check_serve_options(const ServeOptions& options);

// True when `authorization` (the header's value) is "Bearer <token>"; compared in constant time.
bool bearer_token_matches(const std::string& authorization, const std::string& token);

}  // namespace pixlake::server
