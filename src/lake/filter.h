// The --where filter language of `pixlake search` and `pixlake tag` (docs/filters.md):
// parse once, then evaluate on records in memory or turn into SQL for the catalog.
#pragma once

#include <memory>
#include <string_view>

#include "lake/filter_ast.h"
#include "lake/image_record.h"
#include "pixlake/status.h"

namespace pixlake {

// A compiled expression. Immutable and cheap to copy; safe to share between threads.
class Filter {
 public:
  explicit Filter(FilterNode root) : root_(std::make_shared<const FilterNode>(std::move(root))) {}
  const FilterNode& root() const { return *root_; }

 private:
  std::shared_ptr<const FilterNode> root_;
};

// Parses and type-checks an expression. Errors are InvalidArgument whose message names the
// column and echoes the text with a caret; callers add their own prefix ("--where: ...").
Result<Filter> parse_filter(std::string_view text);

// Evaluates the filter on one record: the reference semantics that filter_to_sql matches.
bool filter_matches(const Filter& filter, const ImageRecord& record);

}  // namespace pixlake
