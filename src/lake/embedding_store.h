// EmbeddingStore: one model's embeddings in a lake (LAKE/embeddings/<model>.pxe), a header then
// fixed-size rows (vector + image id + checksum), appended in batches, read in place via mmap.
// Format: docs/file_formats.md ("Embedding file").
//
// Crash safety: the lake's catalog is the source of truth for how many rows count. Ingest calls
// append(), then sync(), and only then commits the new row count in the catalog. open() takes
// that committed count and truncates whatever lies beyond it (a batch whose catalog commit never
// happened, a torn row after kill -9). The file never stores a row count, so its header is
// written once, at create() or compact(), and never updated in place.
//
// Threads: one writer (append/sync/compact, and the id()/vector()/rows() shortcuts, belong to the
// thread that owns the store). Other threads read through snapshot(): a Snapshot holds the
// mapping it was taken from, so it stays valid, unchanged, while the writer appends, remaps or
// compacts. snapshot() itself may be called from any thread. Across processes an exclusive
// flock() admits one writable open per file; a second is refused.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/posix_file.h"
#include "lake/embedding_format.h"
#include "pixlake/status.h"

namespace pixlake {

// A read-only memory mapping of (a prefix of) an embedding file; unmapped when the last
// Snapshot or store holding it lets go.
struct EmbeddingMapping;

// An immutable view of the first rows() rows of a store, as they were when it was taken.
class EmbeddingSnapshot {
 public:
  EmbeddingSnapshot() = default;
  int64_t rows() const { return rows_; }
  int32_t dim() const { return dim_; }
  int64_t id(int64_t row) const;
  // 64-byte aligned; dim() floats. Consecutive rows are row_stride() bytes apart, so the rows
  // form a row-major matrix with leading dimension row_stride() / sizeof(float).
  const float* vector(int64_t row) const;
  uint32_t row_stride() const { return layout_.stride; }

 private:
  friend class EmbeddingStore;
  const uint8_t* row_ptr(int64_t row) const;
  std::shared_ptr<const EmbeddingMapping> mapping_;
  EmbeddingRowLayout layout_;
  int64_t rows_ = 0;
  int32_t dim_ = 0;
};

class EmbeddingStore {
 public:
  // Creates `path` holding only a header (durably: file and folder are fsynced). Fails if the
  // file exists. header.created_unix == 0 means now; header.generation is set to 0.
  static Result<std::unique_ptr<EmbeddingStore>> create(const std::string& path,
                                                        const EmbeddingStoreHeader& header);

  // Opens `path` for appending, with the row count the catalog committed. Rows beyond it are cut
  // off (truncated); a file holding fewer complete rows is data_loss ("rows were lost"). A bad
  // magic, version, header checksum or field is an error naming the file and the field. The
  // caller checks header() holds the model, layer and dim it expects.
  static Result<std::unique_ptr<EmbeddingStore>> open(const std::string& path,
                                                      int64_t committed_rows);

  // Opens `path` without changing it and without the writer lock: rows() is every complete row
  // in the file. For `pixlake check` (then verify()) and for reading header().generation when
  // deciding which row count to pass to open() (see compact()). append/sync/compact refuse.
  static Result<std::unique_ptr<EmbeddingStore>> open_read_only(const std::string& path);

  ~EmbeddingStore();
  EmbeddingStore(const EmbeddingStore&) = delete;
  EmbeddingStore& operator=(const EmbeddingStore&) = delete;

  const std::string& path() const { return path_; }
  const EmbeddingStoreHeader& header() const { return header_; }
  int32_t dim() const { return header_.dim; }
  int64_t rows() const { return rows_; }
  uint32_t row_stride() const { return layout_.stride; }

  // Appends n rows (ids[i], vectors[i*dim .. i*dim+dim)) at the end of the file. All or nothing:
  // on a write error (ENOSPC, EFBIG, EIO) the file is cut back and rows() is unchanged. The rows
  // are readable at once but durable only after sync().
  Status append(const int64_t* ids, const float* vectors, int64_t n);

  // fdatasync: every appended row (and the file size) is on disk when it returns ok. Commit the
  // row count to the catalog only after this.
  Status sync();

  // Writer-thread shortcuts through the current mapping. The pointer is valid until the next
  // append/sync/compact; other threads use snapshot().
  int64_t id(int64_t row) const;
  const float* vector(int64_t row) const;

  // A view of the current rows that stays valid whatever the writer does next. Any thread.
  EmbeddingSnapshot snapshot() const;

  // Keeps the rows whose keep[row] is true, in order, and drops the others (deleted images):
  // writes path.tmp with header generation + 1, fsyncs it, renames it over path, fsyncs the
  // folder. keep.size() must equal rows(). Afterwards rows() is the number kept.
  // Crash window: if the process dies after the rename and before the catalog records the new
  // count, open() with the old count fails as data loss. The catalog should store the generation
  // with the count; when open_read_only() shows generation == catalog's + 1, the compaction
  // finished on disk and the catalog can roll forward to that file's rows().
  Status compact(const std::vector<bool>& keep);

  // Checks every row's checksum (the header was checked at open). Reports the first bad row with
  // its index and byte offset as data_loss.
  Status verify() const;

 private:
  EmbeddingStore() = default;
  static Result<std::unique_ptr<EmbeddingStore>> open_impl(const std::string& path,
                                                           int64_t committed_rows, bool writable);
  Status ensure_mapped(uint64_t file_bytes);
  Status writable_or_error(const char* operation) const;
  uint64_t file_bytes_for(int64_t rows) const;

  std::string path_;
  EmbeddingStoreHeader header_;
  EmbeddingRowLayout layout_;
  UniqueFd fd_;
  bool writable_ = false;
  int64_t rows_ = 0;
  std::vector<uint8_t> staging_;  // rows encoded for one write

  // Guards mapping_ and rows_ against snapshot() on other threads; the writer thread reads
  // them without it.
  mutable std::mutex mapping_mutex_;
  std::shared_ptr<const EmbeddingMapping> mapping_;
};

}  // namespace pixlake
