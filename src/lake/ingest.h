// `pixlake add`: bring files into a lake. Scan, skip what is unchanged, hash, decode and
// preprocess on worker threads while the calling thread runs the model and commits batches.
//
// Crash safety: each batch is one catalog transaction; its embedding rows are appended and
// fsync'ed inside it, before the commit. A kill at any moment leaves the lake as of the last
// committed batch; the next `add` skips what was committed and finishes the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "image/image.h"
#include "lake/catalog.h"
#include "lake/lake.h"
#include "pixlake/status.h"

namespace pixlake {

struct IngestProgress {
  int64_t done = 0;   // files processed (embedded, skipped as unchanged work, or failed)
  int64_t total = 0;  // files that need work
  int64_t failed = 0;
  double seconds = 0;
};

struct IngestOptions {
  std::string model;  // empty: the lake's default
  int jobs = 2;       // decode / hash threads
  int batch = 32;     // images per inference batch and per catalog transaction
  DecodeLimits limits;
  // Auto-tags: for a model with a classification block, the top `auto_tag` classes with at
  // least `auto_tag_min_probability` become tags "label:<class>" (replacing the image's earlier
  // label: tags) and meta key "labels" holds "class:probability" pairs. 0: off.
  int auto_tag = 0;
  double auto_tag_min_probability = 0.05;
  std::function<void(const IngestProgress&)> on_progress;  // called from the calling thread
};

struct IngestReport {
  int64_t scanned = 0;    // image files found under the paths
  int64_t added = 0;      // new images
  int64_t updated = 0;    // known paths whose content changed
  int64_t moved = 0;      // known content found at a new path
  int64_t touched = 0;    // mtime changed, content identical
  int64_t embedded = 0;   // embeddings computed (new, changed, or missing for this model)
  int64_t unchanged = 0;  // skipped: same size and mtime, already embedded
  int64_t skipped_not_image = 0;
  std::vector<IngestFailure> failures;  // this run's unreadable files and directories
  double seconds = 0;
};

// Ingests `paths` (files or folders, recursively) into `lake` (opened for writing). With no
// paths, embeds the images of the lake that have no embedding for the model yet (switching a
// lake to another model). Per-file problems are reported, never fatal; errors writing the lake
// itself are returned.
Result<IngestReport> ingest(Lake& lake, const std::vector<std::string>& paths,
                            const IngestOptions& options);

}  // namespace pixlake
