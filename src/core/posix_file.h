// Thin POSIX helpers for the files pixlake writes durably: an owning descriptor, positioned
// reads and writes that retry short transfers and EINTR, fsync of a file and of the folder
// holding it. Every failure is a Status naming the file and the system's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "pixlake/status.h"

namespace pixlake {

// Owns a file descriptor and closes it once. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// "No space left on device (ENOSPC)": strerror plus the symbolic name, for messages.
std::string errno_text(int err);

// Writes all `size` bytes at `offset`. ENOSPC, EFBIG and EIO come back as io_error naming `path`.
Status pwrite_all(int fd, const void* data, size_t size, uint64_t offset, const std::string& path);

// Reads all `size` bytes at `offset`; a file that ends early is data_loss naming `path`.
Status pread_all(int fd, void* data, size_t size, uint64_t offset, const std::string& path);

// fdatasync: data and the file size reach the disk (mtime need not).
Status sync_file(int fd, const std::string& path);

// fsync of the folder holding `path`, so that a create, rename or link of `path` is durable.
Status sync_parent_dir(const std::string& path);

}  // namespace pixlake
