#include "lake/embedding_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>

namespace pixlake {

struct EmbeddingMapping {
  const uint8_t* base = nullptr;
  size_t length = 0;
  EmbeddingMapping(const uint8_t* b, size_t l) : base(b), length(l) {}
  EmbeddingMapping(const EmbeddingMapping&) = delete;
  EmbeddingMapping& operator=(const EmbeddingMapping&) = delete;
  ~EmbeddingMapping() { ::munmap(const_cast<uint8_t*>(base), length); }
};

namespace {

constexpr size_t kMinMappingBytes = size_t{1} << 20;
constexpr size_t kStagingBytes = size_t{1} << 20;  // rows per write(): about 1 MiB

// Maps `length` bytes of `fd` read-only. The length may exceed the file: the writer grows the
// file with pwrite() and the shared page cache makes new rows visible through the same mapping,
// so a mapping is replaced only when the file outgrows it (capacity doubles: O(log n) remaps).
// Pages past the end of the file are never touched.
Result<std::shared_ptr<const EmbeddingMapping>> map_file(int fd, size_t length,
                                                         const std::string& path) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  length = (length + page - 1) / page * page;
  void* base = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED)
    return io_error("'" + path + "': mmap of " + std::to_string(length) +
                    " bytes failed: " + errno_text(errno));
  return std::shared_ptr<const EmbeddingMapping>(
      std::make_shared<EmbeddingMapping>(static_cast<const uint8_t*>(base), length));
}

Status truncate_file(int fd, uint64_t size, const std::string& path) {
  while (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    if (errno == EINTR) continue;
    return io_error("'" + path + "': truncate to " + std::to_string(size) +
                    " bytes failed: " + errno_text(errno));
  }
  return Status::ok();
}

Status lock_exclusive(int fd, const std::string& path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK)
      return io_error("'" + path + "' is open for writing elsewhere (another ingest running?)");
    return io_error("'" + path + "': flock failed: " + errno_text(errno));
  }
  return Status::ok();
}

}  // namespace

// ---- EmbeddingSnapshot ----

const uint8_t* EmbeddingSnapshot::row_ptr(int64_t row) const {
  PIXLAKE_DASSERT(row >= 0 && row < rows_);
  return mapping_->base + kEmbeddingHeaderSize + static_cast<size_t>(row) * layout_.stride;
}

int64_t EmbeddingSnapshot::id(int64_t row) const {
  int64_t id;
  std::memcpy(&id, row_ptr(row) + layout_.id_offset, sizeof id);
  return id;
}

const float* EmbeddingSnapshot::vector(int64_t row) const {
  return reinterpret_cast<const float*>(row_ptr(row));
}

// ---- EmbeddingStore ----

EmbeddingStore::~EmbeddingStore() = default;

uint64_t EmbeddingStore::file_bytes_for(int64_t rows) const {
  return kEmbeddingHeaderSize + static_cast<uint64_t>(rows) * layout_.stride;
}

Status EmbeddingStore::writable_or_error(const char* operation) const {
  if (writable_) return Status::ok();
  return invalid_argument("'" + path_ + "': " + operation + " on a store opened read-only");
}

Status EmbeddingStore::ensure_mapped(uint64_t file_bytes) {
  std::shared_ptr<const EmbeddingMapping> current;
  {
    std::lock_guard<std::mutex> lock(mapping_mutex_);
    current = mapping_;
  }
  if (current && current->length >= file_bytes) return Status::ok();
  size_t length = std::max<size_t>(file_bytes, kMinMappingBytes);
  if (current) length = std::max(length, 2 * current->length);
  PIXLAKE_ASSIGN_OR_RETURN(auto mapping, map_file(fd_.get(), length, path_));
  std::lock_guard<std::mutex> lock(mapping_mutex_);
  mapping_ = std::move(mapping);  // snapshots still holding the old one keep it mapped
  return Status::ok();
}

Result<std::unique_ptr<EmbeddingStore>> EmbeddingStore::create(const std::string& path,
                                                               const EmbeddingStoreHeader& header) {
  PIXLAKE_RETURN_IF_ERROR(validate_embedding_header(header).with_context("'" + path + "'"));
  EmbeddingStoreHeader h = header;
  h.generation = 0;
  if (h.created_unix == 0) h.created_unix = static_cast<int64_t>(std::time(nullptr));
  const auto bytes = encode_embedding_header(h);

  // Write the header to a temporary name and link() it into place: the file appears complete or
  // not at all, and link() refuses to replace an existing file, atomically.
  const std::string tmp = path + ".tmp";
  UniqueFd fd(::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return io_error("cannot create '" + tmp + "': " + errno_text(errno));
  Status status = lock_exclusive(fd.get(), tmp);
  if (status.is_ok()) status = pwrite_all(fd.get(), bytes.data(), bytes.size(), 0, tmp);
  if (status.is_ok()) status = sync_file(fd.get(), tmp);
  if (status.is_ok() && ::link(tmp.c_str(), path.c_str()) != 0) {
    status = errno == EEXIST ? invalid_argument("'" + path + "' already exists")
                             : io_error("cannot create '" + path + "': " + errno_text(errno));
  }
  ::unlink(tmp.c_str());
  PIXLAKE_RETURN_IF_ERROR(status);
  PIXLAKE_RETURN_IF_ERROR(sync_parent_dir(path));

  std::unique_ptr<EmbeddingStore> store(new EmbeddingStore());
  store->path_ = path;
  store->header_ = h;
  store->layout_ = embedding_row_layout(h.dim, h.dtype);
  store->fd_ = std::move(fd);
  store->writable_ = true;
  PIXLAKE_RETURN_IF_ERROR(store->ensure_mapped(kEmbeddingHeaderSize));
  return store;
}

Result<std::unique_ptr<EmbeddingStore>> EmbeddingStore::open(const std::string& path,
                                                             int64_t committed_rows) {
  if (committed_rows < 0)
    return invalid_argument("'" + path + "': committed row count " +
                            std::to_string(committed_rows) + " is negative");
  return open_impl(path, committed_rows, /*writable=*/true);
}

Result<std::unique_ptr<EmbeddingStore>> EmbeddingStore::open_read_only(const std::string& path) {
  return open_impl(path, -1, /*writable=*/false);
}

Result<std::unique_ptr<EmbeddingStore>> EmbeddingStore::open_impl(const std::string& path,
                                                                  int64_t committed_rows,
                                                                  bool writable) {
  UniqueFd fd(::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return not_found("embedding file '" + path + "' not found");
    return io_error("cannot open '" + path + "': " + errno_text(errno));
  }
  if (writable) PIXLAKE_RETURN_IF_ERROR(lock_exclusive(fd.get(), path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return io_error("cannot stat '" + path + "': " + errno_text(errno));
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);

  uint8_t bytes[kEmbeddingHeaderSize];
  const size_t header_bytes = static_cast<size_t>(std::min<uint64_t>(file_size, sizeof bytes));
  PIXLAKE_RETURN_IF_ERROR(pread_all(fd.get(), bytes, header_bytes, 0, path));
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStoreHeader header,
                           decode_embedding_header(bytes, header_bytes, path));

  std::unique_ptr<EmbeddingStore> store(new EmbeddingStore());
  store->path_ = path;
  store->header_ = header;
  store->layout_ = embedding_row_layout(header.dim, header.dtype);
  store->writable_ = writable;
  const int64_t complete_rows =
      static_cast<int64_t>((file_size - kEmbeddingHeaderSize) / store->layout_.stride);

  if (writable) {
    if (complete_rows < committed_rows)
      return data_loss("'" + path + "' holds " + std::to_string(complete_rows) +
                       " complete rows but the catalog committed " +
                       std::to_string(committed_rows) + ": " +
                       std::to_string(committed_rows - complete_rows) +
                       " committed rows were lost (file truncated or replaced?)");
    // Rows past the committed count were never recorded by the catalog: an uncommitted batch or
    // a torn row. Cutting them off is idempotent, so a crash before it reaches disk is harmless
    // and no fsync is needed here; the next sync() makes it durable anyway.
    if (file_size != store->file_bytes_for(committed_rows))
      PIXLAKE_RETURN_IF_ERROR(truncate_file(fd.get(), store->file_bytes_for(committed_rows), path));
    ::unlink((path + ".tmp").c_str());  // left by a compact() or create() that died
    store->rows_ = committed_rows;
  } else {
    store->rows_ = complete_rows;
  }
  store->fd_ = std::move(fd);
  PIXLAKE_RETURN_IF_ERROR(store->ensure_mapped(store->file_bytes_for(store->rows_)));
  return store;
}

Status EmbeddingStore::append(const int64_t* ids, const float* vectors, int64_t n) {
  PIXLAKE_RETURN_IF_ERROR(writable_or_error("append"));
  if (n < 0) return invalid_argument("'" + path_ + "': append of " + std::to_string(n) + " rows");
  if (n == 0) return Status::ok();
  if (!ids || !vectors) return invalid_argument("'" + path_ + "': append with null ids/vectors");
  const int64_t max_rows = static_cast<int64_t>(
      (std::numeric_limits<int64_t>::max() - kEmbeddingHeaderSize) / layout_.stride);
  if (n > max_rows - rows_)
    return invalid_argument("'" + path_ + "': append of " + std::to_string(n) +
                            " rows overflows the file size");

  const uint64_t old_end = file_bytes_for(rows_);
  const int64_t chunk_rows = std::max<int64_t>(1, kStagingBytes / layout_.stride);
  staging_.resize(static_cast<size_t>(std::min(n, chunk_rows)) * layout_.stride);
  Status status;
  uint64_t offset = old_end;
  for (int64_t first = 0; first < n && status.is_ok(); first += chunk_rows) {
    const int64_t count = std::min(chunk_rows, n - first);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t row = first + i;
      encode_embedding_row(layout_, ids[row], vectors + row * static_cast<int64_t>(header_.dim),
                           staging_.data() + static_cast<size_t>(i) * layout_.stride);
    }
    const size_t bytes = static_cast<size_t>(count) * layout_.stride;
    status = pwrite_all(fd_.get(), staging_.data(), bytes, offset, path_);
    offset += bytes;
  }
  if (status.is_ok()) status = ensure_mapped(offset);
  if (!status.is_ok()) {
    // All or nothing: cut off what part of the batch did land, so the file ends on the last
    // good row. If even that fails, the next open() truncates to the catalog's count.
    Status cut = truncate_file(fd_.get(), old_end, path_);
    if (!cut.is_ok())
      return Status(status.code(),
                    status.message() + "; cutting the batch back also failed: " + cut.message());
    return status;
  }
  std::lock_guard<std::mutex> lock(mapping_mutex_);
  rows_ += n;
  return Status::ok();
}

Status EmbeddingStore::sync() {
  PIXLAKE_RETURN_IF_ERROR(writable_or_error("sync"));
  return sync_file(fd_.get(), path_);
}

int64_t EmbeddingStore::id(int64_t row) const {
  PIXLAKE_DASSERT(row >= 0 && row < rows_);
  int64_t id;  // writer thread: mapping_ is read without the lock
  std::memcpy(&id, mapping_->base + file_bytes_for(row) + layout_.id_offset, sizeof id);
  return id;
}

const float* EmbeddingStore::vector(int64_t row) const {
  PIXLAKE_DASSERT(row >= 0 && row < rows_);
  return reinterpret_cast<const float*>(mapping_->base + file_bytes_for(row));
}

EmbeddingSnapshot EmbeddingStore::snapshot() const {
  EmbeddingSnapshot snap;
  snap.layout_ = layout_;
  snap.dim_ = header_.dim;
  std::lock_guard<std::mutex> lock(mapping_mutex_);
  snap.mapping_ = mapping_;
  snap.rows_ = rows_;
  return snap;
}

Status EmbeddingStore::compact(const std::vector<bool>& keep) {
  PIXLAKE_RETURN_IF_ERROR(writable_or_error("compact"));
  if (static_cast<int64_t>(keep.size()) != rows_)
    return invalid_argument("'" + path_ + "': compact got " + std::to_string(keep.size()) +
                            " keep flags for " + std::to_string(rows_) + " rows");
  EmbeddingStoreHeader new_header = header_;
  new_header.generation = header_.generation + 1;
  const auto header_bytes = encode_embedding_header(new_header);

  const std::string tmp = path_ + ".tmp";
  UniqueFd fd(::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return io_error("cannot create '" + tmp + "': " + errno_text(errno));
  // Lock before the rename so that no other writer can slip in between.
  Status status = lock_exclusive(fd.get(), tmp);
  if (status.is_ok())
    status = pwrite_all(fd.get(), header_bytes.data(), header_bytes.size(), 0, tmp);

  // Rows are copied verbatim, checksums included: a row already corrupt stays detectably so.
  const EmbeddingSnapshot source = snapshot();
  const int64_t chunk_rows = std::max<int64_t>(1, kStagingBytes / layout_.stride);
  staging_.resize(static_cast<size_t>(chunk_rows) * layout_.stride);
  uint64_t offset = kEmbeddingHeaderSize;
  int64_t kept = 0;
  int64_t staged = 0;
  auto flush = [&]() {
    const size_t bytes = static_cast<size_t>(staged) * layout_.stride;
    if (status.is_ok() && bytes > 0)
      status = pwrite_all(fd.get(), staging_.data(), bytes, offset, tmp);
    offset += bytes;
    staged = 0;
  };
  for (int64_t row = 0; row < rows_ && status.is_ok(); ++row) {
    if (!keep[static_cast<size_t>(row)]) continue;
    std::memcpy(staging_.data() + static_cast<size_t>(staged) * layout_.stride, source.row_ptr(row),
                layout_.stride);
    ++kept;
    if (++staged == chunk_rows) flush();
  }
  flush();
  if (status.is_ok()) status = sync_file(fd.get(), tmp);
  // Map the new file before it replaces the old one, so that nothing can fail after the rename.
  std::shared_ptr<const EmbeddingMapping> mapping;
  if (status.is_ok()) {
    auto mapped = map_file(fd.get(), std::max<uint64_t>(offset, kMinMappingBytes), tmp);
    if (mapped.is_ok())
      mapping = std::move(mapped).value();
    else
      status = mapped.status();
  }
  if (status.is_ok() && ::rename(tmp.c_str(), path_.c_str()) != 0)
    status = io_error("cannot rename '" + tmp + "' over '" + path_ + "': " + errno_text(errno));
  if (!status.is_ok()) {
    ::unlink(tmp.c_str());
    return status;
  }

  fd_ = std::move(fd);
  header_ = new_header;
  {
    std::lock_guard<std::mutex> lock(mapping_mutex_);
    mapping_ = std::move(mapping);
    rows_ = kept;
  }
  return sync_parent_dir(path_);
}

Status EmbeddingStore::verify() const {
  auto header = decode_embedding_header(mapping_->base, kEmbeddingHeaderSize, path_);
  if (!header.is_ok()) return header.status();
  for (int64_t row = 0; row < rows_; ++row) {
    const uint8_t* p = mapping_->base + file_bytes_for(row);
    if (!embedding_row_checksum_ok(layout_, p))
      return data_loss("'" + path_ + "': row " + std::to_string(row) + " (byte offset " +
                       std::to_string(file_bytes_for(row)) + ", stored id " +
                       std::to_string(id(row)) + ") fails its checksum");
  }
  return Status::ok();
}

}  // namespace pixlake
