// The catalog's curation tables (schema version 2): perceptual hashes and duplicate verdicts.
#include <bit>
#include <ctime>

#include "lake/catalog.h"

namespace pixlake {

Result<std::vector<std::pair<std::string, int64_t>>> Catalog::tag_counts_with_prefix(
    const std::string& prefix) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("SELECT tag, count(*) AS n FROM tags WHERE substr(tag, 1, ?) "
                             "= ? GROUP BY tag ORDER BY n DESC, tag"));
  stmt.bind(1, static_cast<int64_t>(prefix.size())).bind(2, prefix);
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return out;
    out.emplace_back(stmt.column_text(0), stmt.column_int(1));
  }
}

Status Catalog::remove_tags_with_prefix(int64_t id, const std::string& prefix) {
  // substr instead of LIKE: tags may hold % and _, which LIKE would treat as wildcards.
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("DELETE FROM tags WHERE image_id=? AND substr(tag, 1, ?) = ?"));
  stmt.bind(1, id).bind(2, static_cast<int64_t>(prefix.size())).bind(3, prefix);
  return stmt.run();
}

Status Catalog::set_hashes(int64_t id, const PerceptualHashes& h) {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt, db_.prepare("INSERT OR REPLACE INTO image_hashes(image_id, ahash, dhash, phash, "
                             "phash_mirror, phash_centre) VALUES(?,?,?,?,?,?)"));
  stmt.bind(1, id)
      .bind(2, std::bit_cast<int64_t>(h.ahash))
      .bind(3, std::bit_cast<int64_t>(h.dhash))
      .bind(4, std::bit_cast<int64_t>(h.phash))
      .bind(5, std::bit_cast<int64_t>(h.phash_mirror))
      .bind(6, std::bit_cast<int64_t>(h.phash_centre));
  return stmt.run();
}

Result<std::vector<std::pair<int64_t, PerceptualHashes>>> Catalog::all_hashes() {
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.prepare("SELECT image_id, ahash, dhash, phash, phash_mirror, phash_centre FROM "
                  "image_hashes ORDER BY image_id"));
  std::vector<std::pair<int64_t, PerceptualHashes>> out;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) break;
    PerceptualHashes h;
    h.ahash = std::bit_cast<uint64_t>(stmt.column_int(1));
    h.dhash = std::bit_cast<uint64_t>(stmt.column_int(2));
    h.phash = std::bit_cast<uint64_t>(stmt.column_int(3));
    h.phash_mirror = std::bit_cast<uint64_t>(stmt.column_int(4));
    h.phash_centre = std::bit_cast<uint64_t>(stmt.column_int(5));
    out.emplace_back(stmt.column_int(0), h);
  }
  return out;
}

Result<std::vector<int64_t>> Catalog::images_without_hashes() {
  return list_ids("NOT EXISTS (SELECT 1 FROM image_hashes h WHERE h.image_id = i.id)");
}

Status Catalog::set_dup_verdict(int64_t a, int64_t b, bool duplicate) {
  if (a > b) std::swap(a, b);
  if (a == b) return invalid_argument("a duplicate verdict needs two different images");
  PIXLAKE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.prepare("INSERT OR REPLACE INTO dup_verdicts(a, b, duplicate, at) VALUES(?,?,?,?)"));
  stmt.bind(1, a)
      .bind(2, b)
      .bind(3, duplicate ? 1 : 0)
      .bind(4, static_cast<int64_t>(::time(nullptr)));
  return stmt.run();
}

Result<std::vector<Catalog::DupVerdict>> Catalog::dup_verdicts() {
  PIXLAKE_ASSIGN_OR_RETURN(auto stmt,
                           db_.prepare("SELECT a, b, duplicate FROM dup_verdicts ORDER BY a, b"));
  std::vector<DupVerdict> out;
  while (true) {
    PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) break;
    out.push_back({stmt.column_int(0), stmt.column_int(1), stmt.column_int(2) != 0});
  }
  return out;
}

}  // namespace pixlake
