#include "service/ingest_jobs.h"

#include <filesystem>

namespace pixlake {

namespace fs = std::filesystem;

namespace {

// `path` is `root` or below it, component by component (so /photos2 is not inside /photos).
bool is_within(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

Result<IngestPathCheck> allowed_ingest_path(const std::string& requested,
                                            const std::vector<std::string>& roots) {
  IngestPathCheck check;
  if (requested.empty()) return invalid_argument("ingest: 'path' is empty");
  if (requested.find('\0') != std::string::npos) return invalid_argument("ingest: bad 'path'");
  fs::path wanted(requested);
  if (!wanted.is_absolute()) return invalid_argument("ingest: 'path' must be absolute");
  wanted = wanted.lexically_normal();
  bool lexically_inside = false;
  for (const auto& root : roots) {
    lexically_inside |= is_within(wanted, fs::path(root).lexically_normal());
  }
  if (!lexically_inside) {
    check.reason = "ingest: '" + requested + "' is not inside a folder this server may ingest";
    return check;
  }
  std::error_code ec;
  fs::path real = fs::canonical(wanted, ec);
  if (ec) return not_found("ingest: '" + requested + "' does not exist");
  bool inside = false;
  for (const auto& root : roots) {
    fs::path real_root = fs::canonical(root, ec);
    if (!ec) inside |= is_within(real, real_root);
  }
  if (!inside) {
    // A symbolic link inside a root that points elsewhere.
    check.reason = "ingest: '" + requested + "' leads outside the folders this server may ingest";
    return check;
  }
  if (!fs::is_directory(real, ec)) {
    return invalid_argument("ingest: '" + requested + "' is not a folder");
  }
  check.allowed = true;
  check.path = real.string();
  return check;
}

const char* ingest_job_state_name(IngestJob::State state) {
  switch (state) {
    case IngestJob::State::kQueued: return "queued";
    case IngestJob::State::kRunning: return "running";
    case IngestJob::State::kDone: return "done";
    case IngestJob::State::kFailed: return "failed";
  }
  return "unknown";
}

IngestJobs::IngestJobs(SharedLake& lake, IngestOptions options)
    : lake_(lake), options_(std::move(options)) {
  worker_ = std::thread([this] { work(); });
}

IngestJobs::~IngestJobs() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

int64_t IngestJobs::start(const std::string& path) {
  int64_t id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = next_id_++;
    IngestJob job;
    job.id = id;
    job.path = path;
    jobs_[id] = job;
    queue_.push_back(id);
  }
  wake_.notify_all();
  return id;
}

std::optional<IngestJob> IngestJobs::get(int64_t id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

void IngestJobs::work() {
  while (true) {
    int64_t id;
    std::string path;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
      jobs_[id].state = IngestJob::State::kRunning;
      path = jobs_[id].path;
    }
    IngestOptions options = options_;
    options.on_progress = [this, id](const IngestProgress& progress) {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_[id].progress = progress;
    };
    Result<IngestReport> report = internal_error("not run");
    {
      auto writer = lake_.writer();
      if (writer.is_ok()) {
        report = ingest(**writer, {path}, options);
      } else {
        report = writer.status();
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    IngestJob& job = jobs_[id];
    if (report.is_ok()) {
      job.state = IngestJob::State::kDone;
      job.report = *report;
    } else {
      job.state = IngestJob::State::kFailed;
      job.error = report.status().message();
    }
  }
}

}  // namespace pixlake
