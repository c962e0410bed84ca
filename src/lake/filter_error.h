// Error messages for the --where language: they name the 1-based column and echo the expression
// with a caret under the offending spot, e.g.
//   expected a value after '>=' at column 10
//     width >= AND
//              ^
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pixlake/status.h"

namespace pixlake {

// InvalidArgument: "<what> at column N[; <detail>]" + the echoed text and caret. `offset` is a
// byte offset into `text`; columns count UTF-8 characters, so the caret lines up in a terminal.
Status filter_error(std::string_view text, size_t offset, const std::string& what,
                    const std::string& detail = "");

// A token as a message shows it: printable ASCII verbatim, other bytes as \xNN.
std::string quote_for_message(std::string_view token);

}  // namespace pixlake
