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
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/sha256.h"
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
  ImageRecord record;  // content fields, for kDecoded
  Tensor pixels;       // [3, H, W] preprocessed, for kDecoded
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
           IngestReport& report)
      : lake_(lake),
        embedder_(embedder),
        model_(std::move(model)),
        options_(options),
        work_(std::move(work)),
        vanished_(std::move(vanished)),
        outcomes_(work_.size()),
        report_(report) {
    ready_.assign(work_.size(), 0);
  }

  Status run() {
    start_ = Clock::now();
    const int jobs = std::max(1, options_.jobs);
    // Workers may run ahead of the committer by this many files, which bounds memory.
    window_ = static_cast<size_t>(std::max(options_.batch, 1)) * static_cast<size_t>(jobs + 1);
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
  void work_loop() {
    while (true) {
      size_t index;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock,
                 [&] { return stop_ || next_ >= work_.size() || next_ < consumed_ + window_; });
        if (stop_ || next_ >= work_.size()) return;
        index = next_++;
      }
      Outcome outcome = process(work_[index]);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        outcomes_[index] = std::move(outcome);
        ready_[index] = 1;
      }
      cv_.notify_all();
    }
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
    out.pixels = std::move(pixels).value();
    out.record = std::move(probed->record);
    out.record.path = path;
    out.record.hash = out.hash;
    out.record.size_bytes = w.file.stamp.size_bytes;
    out.record.mtime = w.file.stamp.mtime;
    out.record.added = now_seconds();
    return out;
  }

  // Takes outcomes in input order and commits them a batch at a time.
  Status commit_loop() {
    std::vector<size_t> batch;
    size_t decoded_in_batch = 0;
    const size_t batch_size = static_cast<size_t>(std::max(options_.batch, 1));
    for (size_t index = 0; index < work_.size(); ++index) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return ready_[index] != 0; });
      }
      batch.push_back(index);
      if (outcomes_[index].kind == Outcome::Kind::kDecoded) ++decoded_in_batch;
      // Metadata-only outcomes ride along; a batch is closed by its decoded images or by size.
      if (decoded_in_batch >= batch_size || batch.size() >= 4 * batch_size) {
        PIXLAKE_RETURN_IF_ERROR(commit(batch));
        batch.clear();
        decoded_in_batch = 0;
      }
    }
    if (!batch.empty()) PIXLAKE_RETURN_IF_ERROR(commit(batch));
    return Status::ok();
  }

  Status commit(const std::vector<size_t>& batch) {
    // Run the model on the decoded images of the batch.
    std::vector<size_t> decoded;
    for (size_t index : batch) {
      if (outcomes_[index].kind == Outcome::Kind::kDecoded) decoded.push_back(index);
    }
    Tensor embeddings;
    if (!decoded.empty()) {
      const Tensor& first = outcomes_[decoded.front()].pixels;
      Tensor input(DType::kF32, {static_cast<int64_t>(decoded.size()), first.dim(0), first.dim(1),
                                 first.dim(2)});
      const int64_t per_item = first.numel();
      for (size_t k = 0; k < decoded.size(); ++k) {
        std::copy_n(outcomes_[decoded[k]].pixels.data<float>(), per_item,
                    input.data<float>() + static_cast<int64_t>(k) * per_item);
      }
      auto embedded = embedder_.embed_preprocessed(input);
      if (!embedded.is_ok()) {
        // A model failure is not the file's fault: stop rather than marking images as bad.
        return embedded.status().with_context("add: model '" + model_ + "'");
      }
      embeddings = std::move(embedded).value();
    }

    Catalog& catalog = lake_.catalog();
    PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake_.store(model_));
    PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
    std::vector<int64_t> row_ids;
    size_t decoded_k = 0;
    const int64_t first_row = store->rows();
    for (size_t index : batch) {
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
      consumed_ += batch.size();
      for (size_t index : batch) {
        outcomes_[index] = Outcome();  // free the pixels
      }
    }
    cv_.notify_all();
    progress_.done += static_cast<int64_t>(batch.size());
    progress_.failed = static_cast<int64_t>(report_.failures.size());
    progress_.total = static_cast<int64_t>(work_.size());
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (options_.on_progress) options_.on_progress(progress_);
    return Status::ok();
  }

  Lake& lake_;
  const Embedder& embedder_;
  std::string model_;
  const IngestOptions& options_;
  std::vector<Work> work_;
  std::unordered_map<std::string, int64_t> vanished_;  // hash -> id of images whose path is gone
  std::vector<Outcome> outcomes_;
  IngestReport& report_;

  std::mutex mutex_;
  std::condition_variable cv_;
  size_t next_ = 0;
  size_t consumed_ = 0;
  size_t window_ = 0;
  std::vector<uint8_t> ready_;  // ready_[i]: outcomes_[i] is filled in
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
  Pipeline pipeline(lake, *embedder, model, options, std::move(work), std::move(vanished), report);
  PIXLAKE_RETURN_IF_ERROR(pipeline.run());
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace pixlake
