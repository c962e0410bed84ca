// Date literals of the --where language: 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', read as UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pixlake {

struct DateLiteral {
  int64_t seconds = 0;     // unix seconds of the start
  bool whole_day = false;  // written without a time: stands for the day [seconds, +86400)
};

// Years 0000-9999; a 'T' may separate date and time. nullopt for anything else, including
// impossible dates such as 2023-02-30 or 24:00:00.
std::optional<DateLiteral> parse_date_literal(std::string_view text);

}  // namespace pixlake
