// Ingest as background jobs, for the server: `POST /api/ingest` queues a folder, a worker thread
// ingests queued folders one after another with the lake's writer (there is one), and
// `GET /api/jobs/{id}` reads the progress. Only folders inside the allowed roots are accepted
// (allowed_ingest_path), so a client can never make the server read elsewhere.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lake/ingest.h"
#include "service/shared_lake.h"

namespace pixlake {

struct IngestPathCheck {
  bool allowed = false;
  std::string path;    // canonical (symlinks resolved) when allowed
  std::string reason;  // why not, naming only what the client sent
};

// Whether `requested` (absolute) is one of `roots` or inside one, first lexically (no file
// system access for paths outside every root), then after resolving symlinks. NotFound when an
// allowed path does not exist; InvalidArgument when it is empty, relative or not a folder.
Result<IngestPathCheck> allowed_ingest_path(const std::string& requested,
                                            const std::vector<std::string>& roots);

struct IngestJob {
  enum class State { kQueued, kRunning, kDone, kFailed };
  int64_t id = 0;
  std::string path;
  State state = State::kQueued;
  IngestProgress progress;
  IngestReport report;  // when done
  std::string error;    // when failed
};

const char* ingest_job_state_name(IngestJob::State state);

class IngestJobs {
 public:
  IngestJobs(SharedLake& lake, IngestOptions options);
  // Finishes the running job (ingest cannot stop half-way without leaving work for the next
  // add); queued jobs are dropped.
  ~IngestJobs();
  IngestJobs(const IngestJobs&) = delete;
  IngestJobs& operator=(const IngestJobs&) = delete;

  // Queues `path` (checked by the caller) and returns the job's id. Thread-safe.
  int64_t start(const std::string& path);
  // A copy of the job's state, or nullopt for an unknown id. Thread-safe.
  std::optional<IngestJob> get(int64_t id) const;

 private:
  void work();

  SharedLake& lake_;
  IngestOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<int64_t, IngestJob> jobs_;
  std::deque<int64_t> queue_;
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace pixlake
