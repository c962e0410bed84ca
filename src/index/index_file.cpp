// Index <-> SectionFile: which fields and sections each index kind writes, and the checks that
// make a damaged or hostile file an error instead of an out-of-bounds read later.
#include <algorithm>
#include <cstring>

#include "index/flat_index.h"
#include "index/hnsw_index.h"
#include "index/section_file.h"

namespace pixlake {
namespace {

constexpr int64_t kKindFlat = 0, kKindHnsw = 1;

int64_t float_bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}
float bits_float(int64_t v) {
  const auto bits = static_cast<uint32_t>(v);
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

void put_vectors(VectorSet& set, SectionFile* file) {
  VectorSet::Sections s = set.sections();
  file->fields["codec"] = static_cast<int64_t>(set.codec());
  file->fields["step"] = float_bits(*s.step);
  file->fields["trained"] = *s.trained ? 1 : 0;
  if (set.codec() == VectorCodec::kF32) {
    file->put("f32", *s.f32);
    return;
  }
  file->put("f16", *s.f16);  // IEEE half, or bfloat16 for kBf16
  if (set.codec() != VectorCodec::kSq8) return;
  file->put("codes", *s.codes);
  file->put("min_dot", *s.node_min_dot);
  file->put("sum_sq", *s.node_sum_sq);
  file->put("min", *s.min);
}

Status get_vectors(const SectionFile& file, int64_t n, VectorSet* set) {
  VectorSet::Sections s = set->sections();
  PIXLAKE_ASSIGN_OR_RETURN(int64_t step, file.field("step"));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t trained, file.field("trained"));
  *s.step = bits_float(step);
  *s.trained = trained != 0;
  *s.size = n;
  const int64_t dim = set->dim();
  if (set->codec() == VectorCodec::kF32) return file.get("f32", s.f32, n * dim);
  PIXLAKE_RETURN_IF_ERROR(file.get("f16", s.f16, n * dim));
  if (set->codec() != VectorCodec::kSq8) return Status::ok();
  PIXLAKE_RETURN_IF_ERROR(file.get("codes", s.codes, n * set->code_stride()));
  PIXLAKE_RETURN_IF_ERROR(file.get("min_dot", s.node_min_dot, n));
  PIXLAKE_RETURN_IF_ERROR(file.get("sum_sq", s.node_sum_sq, n));
  PIXLAKE_RETURN_IF_ERROR(file.get("min", s.min, n > 0 || *s.trained ? dim : -1));
  set->refresh_derived();
  return Status::ok();
}

}  // namespace

class FlatFile {
 public:
  static Status save(const FlatIndex& index, const std::string& path) {
    SectionFile file;
    file.fields = {{"kind", kKindFlat},
                   {"dim", index.dim()},
                   {"metric", static_cast<int64_t>(index.metric())},
                   {"nodes", index.size()},
                   {"max_label", index.max_label_}};
    put_vectors(const_cast<VectorSet&>(index.vectors_), &file);
    file.put("labels", index.labels_);
    return write_section_file(path, file);
  }

  static Result<std::unique_ptr<Index>> load(const SectionFile& file, int dim, Metric metric) {
    auto index = std::make_unique<FlatIndex>(dim, metric);
    PIXLAKE_ASSIGN_OR_RETURN(int64_t n, file.field("nodes"));
    if (n < 0) return data_loss("index file: negative size");
    PIXLAKE_RETURN_IF_ERROR(file.get("labels", &index->labels_, n));
    PIXLAKE_RETURN_IF_ERROR(get_vectors(file, n, &index->vectors_));
    PIXLAKE_ASSIGN_OR_RETURN(index->max_label_, file.field("max_label"));
    for (int64_t row = 0; row < n; ++row) {
      index->max_label_ = std::max(index->max_label_, index->labels_[row]);
      if (!index->by_label_.try_emplace(index->labels_[row], row).second) {
        return data_loss("index file: label " + std::to_string(index->labels_[row]) + " twice");
      }
    }
    return std::unique_ptr<Index>(std::move(index));
  }
};

class HnswFile {
 public:
  static Status save(const HnswIndex& index, const std::string& path) {
    // No add may link nodes while the sections are checksummed and written.
    std::lock_guard<std::mutex> writer(index.writer_);
    std::shared_lock lock(index.rw_);
    SectionFile file;
    file.fields = {{"kind", kKindHnsw},
                   {"dim", index.dim()},
                   {"metric", static_cast<int64_t>(index.metric())},
                   {"nodes", static_cast<int64_t>(index.labels_.size())},
                   {"m", index.m_},
                   {"ef_construction", index.options_.ef_construction},
                   {"entry", index.entry_ == HnswIndex::kNone ? -1 : int64_t{index.entry_}},
                   {"max_level", index.max_level_},
                   {"rng_state", static_cast<int64_t>(index.rng_state_)}};
    put_vectors(const_cast<VectorSet&>(index.vectors_), &file);
    file.put("labels", index.labels_);
    file.put("removed", index.removed_);
    file.put("levels", index.levels_);
    file.put("links0", index.links0_);
    std::vector<uint32_t> upper;
    for (const auto& u : index.upper_) upper.insert(upper.end(), u.begin(), u.end());
    file.put_copy("upper", std::move(upper));
    return write_section_file(path, file);
  }

  // verify: check every link and label (reads the whole graph). Without it, opening reads the
  // level of each node only, and the search loops bound-check links as they follow them.
  static Result<std::unique_ptr<Index>> load(const SectionFile& file, int dim, Metric metric,
                                             bool verify) {
    PIXLAKE_ASSIGN_OR_RETURN(int64_t m, file.field("m"));
    PIXLAKE_ASSIGN_OR_RETURN(int64_t codec, file.field("codec"));
    PIXLAKE_ASSIGN_OR_RETURN(int64_t ef_construction, file.field("ef_construction"));
    if (m < 2 || m > 256 || codec < 0 || codec > 3 || ef_construction < 1 ||
        ef_construction > 100000) {
      return data_loss("index file: bad HNSW parameters");
    }
    IndexBuildOptions options;
    options.ef_construction = static_cast<int>(ef_construction);
    auto index = std::make_unique<HnswIndex>(dim, metric, static_cast<int>(m),
                                             static_cast<VectorCodec>(codec), options);
    HnswIndex& h = *index;
    PIXLAKE_ASSIGN_OR_RETURN(int64_t n, file.field("nodes"));
    PIXLAKE_ASSIGN_OR_RETURN(int64_t entry, file.field("entry"));
    PIXLAKE_ASSIGN_OR_RETURN(int64_t max_level, file.field("max_level"));
    PIXLAKE_ASSIGN_OR_RETURN(int64_t rng_state, file.field("rng_state"));
    if (n < 0 || n >= HnswIndex::kNone) return data_loss("index file: bad size");
    PIXLAKE_RETURN_IF_ERROR(file.get("labels", &h.labels_, n));
    PIXLAKE_RETURN_IF_ERROR(file.get("removed", &h.removed_, n));
    PIXLAKE_RETURN_IF_ERROR(file.get("levels", &h.levels_, n));
    PIXLAKE_RETURN_IF_ERROR(file.get("links0", &h.links0_, n * (2 * m + 1)));
    PIXLAKE_RETURN_IF_ERROR(get_vectors(file, n, &h.vectors_));
    ArrayStore<uint32_t> upper;
    PIXLAKE_RETURN_IF_ERROR(file.get("upper", &upper, -1));

    // Every level must be plausible (the upper link blocks are cut by them); with `verify`,
    // every link must name a node of that level and every count fit its block.
    h.upper_.resize(static_cast<size_t>(n));
    size_t at = 0;
    int64_t live = 0;
    for (int64_t node = 0; node < n; ++node) {
      const int level = h.levels_[node];
      if (level < 0 || level > max_level) return data_loss("index file: bad level");
      const size_t slots = size_t(level) * size_t(m + 1);
      if (upper.size() - at < slots) return data_loss("index file: upper links truncated");
      if (slots > 0) h.upper_[node].assign(upper.begin() + at, upper.begin() + at + slots);
      at += slots;
      live += h.removed_[node] == 0 ? 1 : 0;
      if (!verify) continue;
      for (int l = 0; l <= level; ++l) {
        const uint32_t* list = h.links(static_cast<uint32_t>(node), l);
        if (list[0] > h.max_links(l)) return data_loss("index file: too many links");
        for (uint32_t i = 0; i < list[0]; ++i) {
          if (list[1 + i] >= n || h.levels_[list[1 + i]] < l) {
            return data_loss("index file: link to a missing node");
          }
        }
      }
      if (h.removed_[node] == 0 && !h.by_label_.try_emplace(h.labels_[node], node).second) {
        return data_loss("index file: label " + std::to_string(h.labels_[node]) + " twice");
      }
    }
    // The largest label ever added: removed labels count too.
    for (int64_t node = 0; node < n; ++node) {
      h.max_label_ = std::max(h.max_label_, h.labels_[node]);
    }
    h.live_ = live;
    h.by_label_ready_ = verify;  // verified: built above; otherwise on first use
    if (at != upper.size()) return data_loss("index file: upper links have extra bytes");
    if (n == 0 ? entry != -1 : (entry < 0 || entry >= n || h.levels_[entry] != max_level)) {
      return data_loss("index file: bad entry point");
    }
    h.entry_ = n == 0 ? HnswIndex::kNone : static_cast<uint32_t>(entry);
    h.max_level_ = static_cast<int>(n == 0 ? -1 : max_level);
    h.publish_entry();
    h.rng_state_ = static_cast<uint64_t>(rng_state);
    return std::unique_ptr<Index>(std::move(index));
  }
};

Status FlatIndex::save(const std::string& path) const { return FlatFile::save(*this, path); }
Status HnswIndex::save(const std::string& path) const { return HnswFile::save(*this, path); }

Result<std::unique_ptr<Index>> load_index(const std::string& path, bool verify) {
  PIXLAKE_ASSIGN_OR_RETURN(SectionFile file, read_section_file(path, verify));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t kind, file.field("kind"));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t dim, file.field("dim"));
  PIXLAKE_ASSIGN_OR_RETURN(int64_t metric, file.field("metric"));
  if (dim < 1 || dim > 65536 || metric < 0 || metric > 2) {
    return data_loss(path + ": bad dimension or metric");
  }
  Result<std::unique_ptr<Index>> index =
      kind == kKindFlat   ? FlatFile::load(file, int(dim), static_cast<Metric>(metric))
      : kind == kKindHnsw ? HnswFile::load(file, int(dim), static_cast<Metric>(metric), verify)
                          : Result<std::unique_ptr<Index>>(data_loss("unknown index kind"));
  if (!index.is_ok()) return data_loss(path + ": " + index.status().message());
  return index;
}

}  // namespace pixlake
