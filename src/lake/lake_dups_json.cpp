#include "lake/lake_dups_json.h"

#include <cstdio>

#include "core/json_text.h"

namespace pixlake {

std::string dups_report_json(const LakeDupReport& report) {
  std::string out = "{\"images\":" + std::to_string(report.images) +
                    ",\"candidates\":" + std::to_string(report.candidates) +
                    ",\"hashed_now\":" + std::to_string(report.hashed_now) +
                    ",\"hash_failed\":" + std::to_string(report.hash_failed) + ",\"groups\":[";
  char buf[64];
  for (size_t g = 0; g < report.groups.size(); ++g) {
    const LakeDupGroup& group = report.groups[g];
    out += std::string(g ? "," : "") + "{\"keeper\":" + std::to_string(group.images.front().id) +
           ",\"images\":[";
    for (size_t i = 0; i < group.images.size(); ++i) {
      const LakeDupImage& im = group.images[i];
      out += std::string(i ? "," : "") + "{\"id\":" + std::to_string(im.id) +
             ",\"path\":" + json_quote(im.path) + ",\"width\":" + std::to_string(im.width) +
             ",\"height\":" + std::to_string(im.height) + "}";
    }
    out += "],\"pairs\":[";
    for (size_t p = 0; p < group.pairs.size(); ++p) {
      const LakeDupPair& pair = group.pairs[p];
      out += std::string(p ? "," : "") + "{\"a\":" + std::to_string(pair.a) +
             ",\"b\":" + std::to_string(pair.b) + ",\"tiers\":[";
      const auto names = dup_tier_names(pair.evidence.tiers);
      for (size_t t = 0; t < names.size(); ++t) out += (t ? "," : "") + json_quote(names[t]);
      out += "]";
      if (pair.evidence.phash_distance >= 0) {
        out += ",\"phash_distance\":" + std::to_string(pair.evidence.phash_distance) +
               ",\"hash_match\":\"" + hash_match_name(pair.evidence.hash_match) + "\"";
      }
      if (pair.evidence.cosine > -2.0f) {
        std::snprintf(buf, sizeof buf, ",\"cosine\":%.4f",
                      static_cast<double>(pair.evidence.cosine));
        out += buf;
      }
      if (pair.evidence.bovw > -2.0f) {
        std::snprintf(buf, sizeof buf, ",\"bovw\":%.4f", static_cast<double>(pair.evidence.bovw));
        out += buf;
      }
      out += "}";
    }
    out += "]}";
  }
  std::snprintf(buf, sizeof buf, "],\"seconds\":%.3f}", report.seconds);
  return out + buf;
}

}  // namespace pixlake
