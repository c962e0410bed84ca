#include "service/lake_service.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_set>

#include "core/npy.h"
#include "lake/filter.h"
#include "lake/filter_lexer.h"
#include "lake/filter_sql.h"
#include "lake/lake_bovw.h"
#include "lake/lake_index.h"
#include "service/embedder.h"

namespace pixlake {

namespace {

// SQL for a --where expression; empty text means no restriction.
Result<SqlFragment> where_sql(const std::string& where) {
  if (where.empty()) return SqlFragment{};
  auto filter = parse_filter(where);
  if (!filter.is_ok()) return filter.status().with_context("--where");
  return filter_to_sql(*filter);
}

Result<std::vector<float>> query_vector(Lake& lake, const std::string& model,
                                        const SearchRequest& request, int64_t& exclude_id) {
  Catalog& catalog = lake.catalog();
  int sources = (!request.image_file.empty()) + (request.id.has_value()) + (!request.path.empty()) +
                (!request.vector.empty());
  if (sources != 1) {
    return invalid_argument("search: give exactly one of --image FILE, --id N, --path P");
  }
  if (!request.vector.empty()) return request.vector;
  if (!request.image_file.empty()) {
    // The Bag of Visual Words is not a network: its vocabulary lives in the lake.
    if (model == kBovwModel) return bovw_embed_file(lake, request.image_file);
    PIXLAKE_ASSIGN_OR_RETURN(auto embedder, Embedder::open(model));
    PIXLAKE_ASSIGN_OR_RETURN(Image image, decode_image_file(request.image_file));
    PIXLAKE_ASSIGN_OR_RETURN(Tensor e, embedder->embed({image}));
    return std::vector<float>(e.data<float>(), e.data<float>() + e.numel());
  }
  std::optional<ImageRecord> record;
  if (request.id) {
    PIXLAKE_ASSIGN_OR_RETURN(record, catalog.find_by_id(*request.id));
    if (!record)
      return not_found("search: the lake has no image with id " + std::to_string(*request.id));
  } else {
    PIXLAKE_ASSIGN_OR_RETURN(record, catalog.find_by_path(request.path));
    if (!record) {
      // Let users pass a relative path to a file they can see.
      std::string absolute = std::filesystem::absolute(request.path).lexically_normal().string();
      PIXLAKE_ASSIGN_OR_RETURN(record, catalog.find_by_path(absolute));
    }
    if (!record) return not_found("search: the lake has no image at path '" + request.path + "'");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto row, catalog.embedding_row(model, record->id));
  if (!row) {
    return not_found("search: image " + std::to_string(record->id) +
                     " has no embedding for model '" + model + "'");
  }
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  if (*row >= store->rows()) {
    // Committed after this reader mapped the file (a long-lived reader, e.g. the server's).
    return not_found("search: image " + std::to_string(record->id) +
                     " was embedded after this reader opened the lake; retry");
  }
  const float* v = store->vector(*row);
  exclude_id = record->id;
  return std::vector<float>(v, v + store->dim());
}

}  // namespace

Result<std::vector<SearchResult>> search_lake(Lake& lake, const SearchRequest& request,
                                              LakeIndexCache* indexes) {
  if (request.k <= 0) return invalid_argument("search: k must be positive");
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(request.model));
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  PIXLAKE_ASSIGN_OR_RETURN(SqlFragment filter, where_sql(request.where));
  int64_t exclude_id = -1;
  PIXLAKE_ASSIGN_OR_RETURN(auto query, query_vector(lake, model, request, exclude_id));
  if (static_cast<int>(query.size()) != store->dim()) {
    return internal_error("search: query has " + std::to_string(query.size()) +
                          " dimensions, the lake's rows " + std::to_string(store->dim()));
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto rows,
                           lake.catalog().embedding_rows(model, filter.sql, filter.params));
  // Rows committed after a long-lived reader mapped the file are not readable through it.
  std::erase_if(rows, [&](const auto& r) { return r.first >= store->rows(); });
  std::shared_ptr<const Index> index;
  if (indexes != nullptr) {
    PIXLAKE_ASSIGN_OR_RETURN(index, indexes->get(lake, model));
  } else {
    PIXLAKE_ASSIGN_OR_RETURN(auto opened, open_lake_index(lake, model, /*verify=*/false));
    index = std::move(opened);
  }
  PIXLAKE_ASSIGN_OR_RETURN(
      std::vector<SearchHit> hits,
      search_rows(index.get(), *store, rows, query.data(), request.k, exclude_id));
  std::vector<SearchResult> results;
  for (const auto& hit : hits) {
    PIXLAKE_ASSIGN_OR_RETURN(auto record, lake.catalog().find_by_id(hit.id));
    results.push_back(SearchResult{hit.id, hit.score, record ? record->path : ""});
  }
  return results;
}

Result<std::vector<int64_t>> select_images(Lake& lake, const std::string& where) {
  PIXLAKE_ASSIGN_OR_RETURN(SqlFragment filter, where_sql(where));
  return lake.catalog().list_ids(filter.sql, filter.params);
}

Result<int64_t> tag_images(Lake& lake, const std::string& where, const TagChange& change) {
  for (const auto& tag : change.add) {
    if (tag.empty()) return invalid_argument("tag: empty tag name");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto ids, select_images(lake, where));
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (int64_t id : ids) {
    for (const auto& tag : change.add) PIXLAKE_RETURN_IF_ERROR(catalog.add_tag(id, tag));
    for (const auto& tag : change.remove) PIXLAKE_RETURN_IF_ERROR(catalog.remove_tag(id, tag));
  }
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return static_cast<int64_t>(ids.size());
}

Result<int64_t> set_image_meta(Lake& lake, const std::string& where, const MetaChange& change) {
  auto valid_key = [](const std::string& key) {
    return !key.empty() && key.size() <= 128 &&
           std::all_of(key.begin(), key.end(), is_meta_key_char);
  };
  for (const auto& [key, value] : change.set) {
    if (!valid_key(key)) {
      return invalid_argument("meta: key '" + key +
                              "' must be 1-128 characters of A-Z a-z 0-9 _ . -");
    }
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto ids, select_images(lake, where));
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (int64_t id : ids) {
    for (const auto& [key, value] : change.set) {
      PIXLAKE_RETURN_IF_ERROR(catalog.set_meta(id, key, value));
    }
    for (const auto& key : change.unset) PIXLAKE_RETURN_IF_ERROR(catalog.remove_meta(id, key));
  }
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return static_cast<int64_t>(ids.size());
}

Result<int64_t> remove_images(Lake& lake, const std::string& where) {
  PIXLAKE_ASSIGN_OR_RETURN(auto ids, select_images(lake, where));
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (int64_t id : ids) PIXLAKE_RETURN_IF_ERROR(catalog.remove_image(id));
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return static_cast<int64_t>(ids.size());
}

Result<SyncReport> sync_lake(Lake& lake, bool keep_missing) {
  SyncReport report;
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto known, catalog.known_files());
  std::vector<int64_t> gone;
  for (const auto& [path, k] : known) {
    ++report.checked;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) gone.push_back(k.id);
  }
  report.missing = static_cast<int64_t>(gone.size());
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  for (int64_t id : gone) {
    PIXLAKE_RETURN_IF_ERROR(keep_missing ? catalog.add_tag(id, "missing")
                                         : catalog.remove_image(id));
    ++report.removed;
  }
  PIXLAKE_RETURN_IF_ERROR(tx.commit());
  return report;
}

Result<std::vector<std::string>> check_lake(Lake& lake) {
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<std::string> problems, catalog.check());
  PIXLAKE_ASSIGN_OR_RETURN(auto models, catalog.models());
  for (const auto& m : models) {
    auto store = lake.store(m.name);
    if (!store.is_ok()) {
      problems.push_back(store.status().message());
      continue;
    }
    Status verified = (*store)->verify();
    if (!verified.is_ok()) problems.push_back(verified.message());
    PIXLAKE_ASSIGN_OR_RETURN(auto rows, catalog.embedding_rows(m.name));
    // The index (when there is one) must open and hold no row past the embeddings.
    auto index = open_lake_index(lake, m.name, /*verify=*/true);
    if (!index.is_ok()) {
      problems.push_back(index.status().message());
    } else if (*index && (*index)->max_label() >= (*store)->rows()) {
      problems.push_back("model " + m.name + ": index covers row " +
                         std::to_string((*index)->max_label()) + " past the end of " + m.file +
                         " (rebuild it with pixlake index LAKE --rebuild)");
    }
    for (const auto& [row, id] : rows) {
      if (row >= (*store)->rows()) {
        problems.push_back("model " + m.name + ": image " + std::to_string(id) + " points at row " +
                           std::to_string(row) + " past the end of " + m.file);
      } else if ((*store)->id(row) != id) {
        problems.push_back("model " + m.name + ": row " + std::to_string(row) + " holds image " +
                           std::to_string((*store)->id(row)) + " but the catalog says " +
                           std::to_string(id));
      }
    }
  }
  return problems;
}

Result<LakeInfo> lake_info(Lake& lake) {
  LakeInfo info;
  info.dir = lake.dir();
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(info.images, catalog.count_images());
  PIXLAKE_ASSIGN_OR_RETURN(auto failures, catalog.failures());
  info.failures = static_cast<int64_t>(failures.size());
  auto default_model = lake.resolve_model_name("");
  if (default_model.is_ok()) info.default_model = *default_model;
  PIXLAKE_ASSIGN_OR_RETURN(auto models, catalog.models());
  for (const auto& m : models) {
    PIXLAKE_ASSIGN_OR_RETURN(auto rows, catalog.embedding_rows(m.name));
    info.models.push_back(LakeInfo::Model{m, static_cast<int64_t>(rows.size())});
    std::error_code ec;
    auto bytes = std::filesystem::file_size(lake.dir() + "/" + m.file, ec);
    if (!ec) info.embedding_bytes += static_cast<int64_t>(bytes);
  }
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    auto bytes = std::filesystem::file_size(catalog.path() + suffix, ec);
    if (!ec) info.catalog_bytes += static_cast<int64_t>(bytes);
  }
  auto group = [&](const std::string& sql,
                   std::vector<std::pair<std::string, int64_t>>& out) -> Status {
    PIXLAKE_ASSIGN_OR_RETURN(auto stmt, catalog.db().prepare(sql));
    while (true) {
      PIXLAKE_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) return Status::ok();
      out.emplace_back(stmt.column_text(0), stmt.column_int(1));
    }
  };
  PIXLAKE_RETURN_IF_ERROR(
      group("SELECT format, count(*) FROM images GROUP BY format ORDER BY 2 DESC", info.formats));
  PIXLAKE_RETURN_IF_ERROR(group(
      "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY 2 DESC, 1 LIMIT 20", info.top_tags));
  return info;
}

Result<int64_t> export_embeddings(Lake& lake, const std::string& model_name,
                                  const std::string& where, ExportFormat format,
                                  const std::string& out_path) {
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(model_name));
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(model));
  PIXLAKE_ASSIGN_OR_RETURN(SqlFragment filter, where_sql(where));
  PIXLAKE_ASSIGN_OR_RETURN(auto rows,
                           lake.catalog().embedding_rows(model, filter.sql, filter.params));
  // Rows committed after a long-lived reader mapped the file are not readable through it.
  std::erase_if(rows, [&](const auto& r) { return r.first >= store->rows(); });
  // Export in image-id order, which is ingest order.
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  PIXLAKE_ASSIGN_OR_RETURN(auto files, lake.catalog().known_files());
  std::map<int64_t, std::string> paths;
  for (auto& [path, known] : files) paths[known.id] = std::move(path);
  const int dim = store->dim();
  const int64_t n = static_cast<int64_t>(rows.size());
  if (format == ExportFormat::kNpy) {
    Tensor matrix(DType::kF32, {n, dim});
    for (int64_t i = 0; i < n; ++i) {
      std::copy_n(store->vector(rows[static_cast<size_t>(i)].first), dim,
                  matrix.data<float>() + i * dim);
    }
    PIXLAKE_RETURN_IF_ERROR(write_npy(out_path, matrix));
    std::ofstream ids(out_path + ".ids.txt"), list(out_path + ".paths.txt");
    for (const auto& [row, id] : rows) {
      ids << id << '\n';
      list << paths[id] << '\n';
    }
    if (!ids || !list) return io_error("export: cannot write the id/path lists beside " + out_path);
    return n;
  }
  std::string tmp = out_path + ".tmp";
  {
    std::ofstream csv(tmp);
    csv << "id,path";
    for (int d = 0; d < dim; ++d) csv << ",v" << d;
    csv << '\n';
    char number[32];
    for (const auto& [row, id] : rows) {
      // Paths may hold commas or quotes: quote them the RFC 4180 way.
      std::string quoted = "\"";
      for (char c : paths[id]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += "\"";
      csv << id << ',' << quoted;
      const float* v = store->vector(row);
      for (int d = 0; d < dim; ++d) {
        std::snprintf(number, sizeof(number), "%.9g", static_cast<double>(v[d]));
        csv << ',' << number;
      }
      csv << '\n';
    }
    if (!csv) return io_error("export: cannot write '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) return io_error("export: cannot rename to '" + out_path + "': " + ec.message());
  return n;
}

}  // namespace pixlake
