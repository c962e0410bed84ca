// Parser and type checker of the --where language: text -> FilterNode (see docs/filters.md).
#pragma once

#include <cstddef>
#include <string_view>

#include "lake/filter_ast.h"
#include "pixlake/status.h"

namespace pixlake {

inline constexpr size_t kMaxFilterLength = 4096;  // bytes
inline constexpr int kMaxFilterDepth = 64;        // nested parentheses and NOTs

// Errors are InvalidArgument naming the column with a caret line (see filter_error.h).
Result<FilterNode> parse_filter_tree(std::string_view text);

}  // namespace pixlake
