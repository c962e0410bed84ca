// The JSON document of a duplicates report: what `pixlake dups --json` prints and
// GET /api/dups answers (docs/curation.md, docs/http_api.md), written in one place.
#pragma once

#include <string>

#include "lake/lake_dups.h"

namespace pixlake {

std::string dups_report_json(const LakeDupReport& report);

}  // namespace pixlake
