// Writing JSON by hand without a dependency: string escaping for the CLI's --json output and
// the HTTP server.
#pragma once

#include <string>

namespace pixlake {

// The JSON string literal for `s`, quotes included. Control characters become \u00XX; bytes
// that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
std::string json_quote(const std::string& s);

}  // namespace pixlake
