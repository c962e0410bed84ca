#include "lake/ingest.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/blas_threads.h"
#include "core/sha256.h"
#include "curate/perceptual_hash.h"
#include "image/preprocess.h"
#include "lake/image_probe.h"
#include "lake/scan.h"
#include "service/embedder.h"

namespace pixlake {

namespace {

using Clock = std::chrono::steady_clock;

// What has to happen to one file.
struct Work {
  ScannedFile file;
  std::optional<int64_t> known_id;  // the path is already in the catalog
  std::string known_hash;           // its recorded content hash
  bool has_embedding = false;       // the known image already has an embedding for the model
};

// What a worker found out about it.
struct Outcome {
  enum class Kind {
    kFailed,   // unreadable or undecodable: recorded in `failures`
    kTouched,  // known path, same bytes: refresh size/mtime (and embed if missing)
    kMoved,    // new path, bytes of an image whose old path is gone
    kDecoded,  // pixels ready for the model
  };
  Kind kind = Kind::kFailed;
  std::string error;
  std::string hash;
  int64_t moved_id = 0;
  ImageRecord record;       // content fields, for kDecoded
  Tensor pixels;            // [3, H, W] preprocessed, for kDecoded
  PerceptualHashes hashes;  // for kDecoded
};

int64_t now_seconds() { return static_cast<int64_t>(::time(nullptr)); }

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

class Pipeline {
 public:
  Pipeline(Lake& lake, const Embedder& embedder, std::string model, const IngestOptions& options,
           std::vector<Work> work, std::unordered_map<std::string, int64_t> vanished,
           std::vector<std::string> labels, IngestReport& report)
      : lake_(lake),
        embedder_(embedder),
        model_(std::move(model)),
        options_(options),
        work_(std::move(work)),
        vanished_(std::move(vanished)),
        outcomes_(work_.size()),
        labels_(std::move(labels)),
        report_(report) {}

  Status run() {
    start_ = Clock::now();
    const int jobs = std::max(1, options_.jobs);
    const size_t chunk = static_cast<size_t>(std::max(options_.batch, 1));
    for (size_t first = 0; first < work_.size(); first += chunk) {
      chunks_.push_back(
          Chunk{first, std::min(work_.size(), first + chunk), {}, {}, Status::ok(), false});
    }
    // Workers may run ahead of the committer by this many chunks, which bounds memory.
    window_ = static_cast<size_t>(jobs) + 1;
    // Parallel workers each run their own inference: BLAS threads on top would oversubscribe
    // the cores (profiles showed 20% of the time in sched_yield and the scheduler).
    ScopedBlasThreads blas(jobs > 1 ? 1 : blas_threads());
    std::vector<std::thread> workers;
    for (int j = 0; j < jobs; ++j) workers.emplace_back([this] { work_loop(); });
    Status status = commit_loop();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers) w.join();
    return status;
  }

 private:
  // A run of consecutive work items that one worker hashes, decodes and embeds as one batch,
  // and the committer commits as one transaction.
  struct Chunk {
    size_t begin, end;
    Tensor embeddings;     // rows for the chunk's kDecoded outcomes, in order
    Tensor probabilities;  // [rows, classes] when auto-tagging
    Status status;         // a model failure (not the files' fault)
    bool ready;
  };

  void work_loop() {
    while (true) {
      size_t index;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock,
                 [&] { return stop_ || next_ >= chunks_.size() || next_ < committed_ + window_; });
        if (stop_ || next_ >= chunks_.size()) return;
        index = next_++;
      }
      Chunk& c = chunks_[index];
      for (size_t i = c.begin; i < c.end; ++i) outcomes_[i] = process(work_[i]);
      c.status = embed_chunk(c);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        c.ready = true;
      }
      cv_.notify_all();
    }
  }

  // Runs the model on the chunk's decoded images and frees their pixels. Each worker runs its
  // own batch, so inference uses every core without threads inside the kernels.
  Status embed_chunk(Chunk& c) {
    std::vector<size_t> decoded;
    for (size_t i = c.begin; i < c.end; ++i) {
      if (outcomes_[i].kind == Outcome::Kind::kDecoded) decoded.push_back(i);
    }
    if (decoded.empty()) return Status::ok();
    const Tensor& first = outcomes_[decoded.front()].pixels;
    Tensor input(DType::kF32,
                 {static_cast<int64_t>(decoded.size()), first.dim(0), first.dim(1), first.dim(2)});
    const int64_t per_item = first.numel();
    for (size_t k = 0; k < decoded.size(); ++k) {
      Tensor& pixels = outcomes_[decoded[k]].pixels;
      std::copy_n(pixels.data<float>(), per_item,
                  input.data<float>() + static_cast<int64_t>(k) * per_item);
      pixels = Tensor();
    }
    if (options_.auto_tag > 0) {
      auto both = embedder_.embed_and_classify_preprocessed(input);
      if (!both.is_ok()) return both.status().with_context("add: model '" + model_ + "'");
      c.embeddings = std::move(both->first);
      c.probabilities = std::move(both->second);
      return Status::ok();
    }
    auto embedded = embedder_.embed_preprocessed(input);
    if (!embedded.is_ok()) return embedded.status().with_context("add: model '" + model_ + "'");
    c.embeddings = std::move(embedded).value();
    return Status::ok();
  }

  Outcome process(const Work& w) {
    Outcome out;
    const std::string& path = w.file.path;
    if (w.file.stamp.size_bytes > options_.limits.max_file_bytes) {
      out.error = "file of " + std::to_string(w.file.stamp.size_bytes) + " bytes is over the " +
                  std::to_string(options_.limits.max_file_bytes) + "-byte limit";
      return out;
    }
    auto hash = sha256_file(path);
    if (!hash.is_ok()) {
      out.error = hash.status().message();
      return out;
    }
    out.hash = *hash;
    if (w.known_id && out.hash == w.known_hash && w.has_embedding) {
      out.kind = Outcome::Kind::kTouched;
      return out;
    }
    if (!w.known_id) {
      // The first new path holding a vanished image's bytes takes it over; a second copy is
      // a new image of its own.
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = vanished_.find(out.hash);
      if (it != vanished_.end()) {
        out.kind = Outcome::Kind::kMoved;
        out.moved_id = it->second;
        vanished_.erase(it);
        return out;
      }
    }
    auto probed =
        probe_and_decode(path, options_.limits, embedder_.spec().preprocess.resize_shorter);
    if (!probed.is_ok()) {
      out.error = probed.status().message();
      return out;
    }
    auto pixels = preprocess_image(probed->image, embedder_.spec().preprocess);
    if (!pixels.is_ok()) {
      out.error = pixels.status().message();
      return out;
    }
    out.kind = Outcome::Kind::kDecoded;
    // From the decoded picture (shrunk on load to the model's resize size, plenty for 32x32).
    out.hashes = perceptual_hashes(probed->image);
    out.pixels = std::move(pixels).value();
    out.record = std::move(probed->record);
    out.record.path = path;
    out.record.hash = out.hash;
    out.record.size_bytes = w.file.stamp.size_bytes;
    out.record.mtime = w.file.stamp.mtime;
    out.record.added = now_seconds();
    return out;
  }

  // Takes chunks in input order and commits each in one transaction.
  Status commit_loop() {
    for (size_t index = 0; index < chunks_.size(); ++index) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return chunks_[index].ready; });
      }
      PIXLAKE_RETURN_IF_ERROR(chunks_[index].status);
      PIXLAKE_RETURN_IF_ERROR(commit(chunks_[index]));
    }
    return Status::ok();
  }

  Status commit(Chunk& chunk) {
    const Tensor& embeddings = chunk.embeddings;
    Catalog& catalog = lake_.catalog();
    PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake_.store(model_));
    PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
    std::vector<int64_t> row_ids;
    size_t decoded_k = 0;
    const int64_t first_row = store->rows();
    for (size_t index = chunk.begin; index < chunk.end; ++index) {
      Outcome& o = outcomes_[index];
      const Work& w = work_[index];
      switch (o.kind) {
        case Outcome::Kind::kFailed: {
          IngestFailure failure{w.file.path, w.file.stamp.size_bytes, w.file.stamp.mtime, o.error,
                                now_seconds()};
          PIXLAKE_RETURN_IF_ERROR(catalog.record_failure(failure));
          report_.failures.push_back(std::move(failure));
          break;
        }
        case Outcome::Kind::kTouched:
          PIXLAKE_RETURN_IF_ERROR(catalog.update_location(*w.known_id, w.file.path, w.file.stamp));
          PIXLAKE_RETURN_IF_ERROR(catalog.clear_failure(w.file.path));
          ++report_.touched;
          break;
        case Outcome::Kind::kMoved:
          PIXLAKE_RETURN_IF_ERROR(catalog.update_location(o.moved_id, w.file.path, w.file.stamp));
          PIXLAKE_RETURN_IF_ERROR(catalog.clear_failure(w.file.path));
          ++report_.moved;
          break;
        case Outcome::Kind::kDecoded: {
          int64_t id;
          if (w.known_id) {
            id = *w.known_id;
            if (o.hash == w.known_hash) {
              ++report_.touched;  // same bytes, embedding was missing for this model
            } else {
              ++report_.updated;
            }
            PIXLAKE_RETURN_IF_ERROR(catalog.update_content(id, o.record));
          } else {
            PIXLAKE_ASSIGN_OR_RETURN(id, catalog.insert_image(o.record));
            ++report_.added;
          }
          PIXLAKE_RETURN_IF_ERROR(catalog.clear_failure(w.file.path));
          PIXLAKE_RETURN_IF_ERROR(catalog.set_hashes(id, o.hashes));
          if (options_.auto_tag > 0) {
            PIXLAKE_RETURN_IF_ERROR(store_labels(catalog, id, chunk.probabilities, decoded_k));
          }
          PIXLAKE_RETURN_IF_ERROR(
              catalog.set_embedding_row(model_, id, first_row + static_cast<int64_t>(decoded_k)));
          row_ids.push_back(id);
          ++decoded_k;
          break;
        }
      }
    }
    if (!row_ids.empty()) {
      PIXLAKE_RETURN_IF_ERROR(store->append(row_ids.data(), embeddings.data<float>(),
                                            static_cast<int64_t>(row_ids.size())));
      // Durable rows first, then the commit that makes them part of the lake.
      PIXLAKE_RETURN_IF_ERROR(store->sync());
      PIXLAKE_RETURN_IF_ERROR(catalog.set_committed_rows(model_, store->rows()));
      report_.embedded += static_cast<int64_t>(row_ids.size());
    }
    PIXLAKE_RETURN_IF_ERROR(tx.commit());

    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++committed_;
      for (size_t index = chunk.begin; index < chunk.end; ++index) outcomes_[index] = Outcome();
      chunk.embeddings = Tensor();
    }
    cv_.notify_all();
    progress_.done += static_cast<int64_t>(chunk.end - chunk.begin);
    progress_.failed = static_cast<int64_t>(report_.failures.size());
    progress_.total = static_cast<int64_t>(work_.size());
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (options_.on_progress) options_.on_progress(progress_);
    return Status::ok();
  }

  // The image's top classes as label: tags and a "labels" meta entry (see IngestOptions).
  Status store_labels(Catalog& catalog, int64_t id, const Tensor& probabilities, size_t row) {
    const int64_t classes = probabilities.dim(1);
    const float* p = probabilities.data<float>() + static_cast<int64_t>(row) * classes;
    std::vector<int64_t> order(static_cast<size_t>(classes));
    std::iota(order.begin(), order.end(), int64_t{0});
    const int64_t top = std::min<int64_t>(options_.auto_tag, classes);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [p](int64_t a, int64_t b) { return p[a] > p[b]; });
    PIXLAKE_RETURN_IF_ERROR(catalog.remove_tags_with_prefix(id, "label:"));
    std::string summary;
    for (int64_t i = 0; i < top; ++i) {
      const int64_t c = order[static_cast<size_t>(i)];
      if (p[c] < options_.auto_tag_min_probability) break;
      // ImageNet-style names list synonyms ("tabby, tabby cat"): the tag is the first one, so
      // that --where "label = 'tabby'" reads naturally.
      std::string name = c < static_cast<int64_t>(labels_.size()) ? labels_[static_cast<size_t>(c)]
                                                                  : "class " + std::to_string(c);
      name = name.substr(0, name.find(','));
      PIXLAKE_RETURN_IF_ERROR(catalog.add_tag(id, "label:" + name));
      char prob[32];
      std::snprintf(prob, sizeof prob, "%.4f", p[c]);
      summary += (summary.empty() ? "" : ",") + name + ":" + prob;
    }
    if (summary.empty()) return catalog.remove_meta(id, "labels");
    return catalog.set_meta(id, "labels", summary);
  }

  Lake& lake_;
  const Embedder& embedder_;
  std::string model_;
  const IngestOptions& options_;
  std::vector<Work> work_;
  std::unordered_map<std::string, int64_t> vanished_;  // hash -> id of images whose path is gone
  std::vector<Outcome> outcomes_;
  std::vector<std::string> labels_;  // class names, for auto-tags
  IngestReport& report_;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Chunk> chunks_;
  size_t next_ = 0;       // next chunk a worker takes
  size_t committed_ = 0;  // chunks committed so far
  size_t window_ = 0;
  bool stop_ = false;
  IngestProgress progress_;
  Clock::time_point start_;
};

// Makes sure the lake has an embedding file for the embedder's model.
Status ensure_model(Lake& lake, const std::string& model, const Embedder& embedder) {
  PIXLAKE_ASSIGN_OR_RETURN(auto known, lake.catalog().find_model(model));
  if (known) {
    if (known->layer != embedder.layer()) {
      return invalid_argument("add: the lake's '" + model + "' embeddings use layer '" +
                              known->layer + "', not '" + embedder.layer() + "'");
    }
    return Status::ok();
  }
  // The vector size is whatever the layer yields: find it by embedding one blank image.
  const PreprocessSpec& pre = embedder.spec().preprocess;
  Tensor blank(DType::kF32, {1, 3, pre.crop, pre.crop});
  PIXLAKE_ASSIGN_OR_RETURN(Tensor probe, embedder.embed_preprocessed(blank));
  return lake.add_model(model, embedder.layer(), static_cast<int>(probe.dim(1)),
                        embedder.spec().sha256);
}

}  // namespace

Result<IngestReport> ingest(Lake& lake, const std::vector<std::string>& paths,
                            const IngestOptions& options) {
  auto start = Clock::now();
  if (lake.access() != Lake::Access::kWrite) return internal_error("ingest needs write access");
  PIXLAKE_ASSIGN_OR_RETURN(std::string model, lake.resolve_model_name(options.model));
  PIXLAKE_ASSIGN_OR_RETURN(auto embedder, Embedder::open(model));
  PIXLAKE_RETURN_IF_ERROR(ensure_model(lake, model, *embedder));
  std::vector<std::string> labels;
  if (options.auto_tag > 0) {
    if (embedder->spec().classifier_output.empty()) {
      return unsupported("add --auto-tag: model '" + model +
                         "' has no classification block to name classes with");
    }
    PIXLAKE_ASSIGN_OR_RETURN(labels, load_model_labels(embedder->spec()));
  }
  Catalog& catalog = lake.catalog();

  IngestReport report;
  PIXLAKE_ASSIGN_OR_RETURN(auto known_list, catalog.known_files());
  std::unordered_map<std::string, Catalog::Known> known;
  for (auto& [path, k] : known_list) known.emplace(path, k);
  PIXLAKE_ASSIGN_OR_RETURN(auto rows, catalog.embedding_rows(model));
  std::unordered_map<int64_t, bool> embedded;
  for (const auto& [row, id] : rows) embedded[id] = true;

  std::vector<Work> work;
  std::unordered_map<std::string, int64_t> vanished;
  if (paths.empty()) {
    // Re-embed for a model: every image without an embedding, from its recorded path.
    for (const auto& [path, k] : known) {
      if (embedded.count(k.id)) continue;
      work.push_back(Work{ScannedFile{path, k.stamp}, k.id, k.hash, false});
    }
    std::sort(work.begin(), work.end(),
              [](const Work& a, const Work& b) { return a.file.path < b.file.path; });
  } else {
    PIXLAKE_ASSIGN_OR_RETURN(ScanResult scan, scan_paths(paths));
    report.scanned = static_cast<int64_t>(scan.files.size());
    report.skipped_not_image = scan.skipped_not_image;
    for (auto& problem : scan.problems) report.failures.push_back(problem);
    std::unordered_map<std::string, bool> seen;
    for (auto& file : scan.files) {
      seen[file.path] = true;
      auto it = known.find(file.path);
      if (it == known.end()) {
        work.push_back(Work{std::move(file), std::nullopt, "", false});
        continue;
      }
      bool has = embedded.count(it->second.id) > 0;
      if (has && it->second.stamp.size_bytes == file.stamp.size_bytes &&
          it->second.stamp.mtime == file.stamp.mtime) {
        ++report.unchanged;
        continue;
      }
      work.push_back(Work{std::move(file), it->second.id, it->second.hash, has});
    }
    // Known images whose file is gone may reappear elsewhere in this scan (a move).
    for (const auto& [path, k] : known) {
      if (!seen.count(path) && !file_exists(path)) vanished.emplace(k.hash, k.id);
    }
  }
  {
    // Record scan problems (unreadable folders, loops) with the run's first commit.
    PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
    for (const auto& problem : report.failures) {
      PIXLAKE_RETURN_IF_ERROR(catalog.record_failure(problem));
    }
    PIXLAKE_RETURN_IF_ERROR(tx.commit());
  }
  Pipeline pipeline(lake, *embedder, model, options, std::move(work), std::move(vanished),
                    std::move(labels), report);
  PIXLAKE_RETURN_IF_ERROR(pipeline.run());
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace pixlake
