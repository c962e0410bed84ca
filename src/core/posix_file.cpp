#include "core/posix_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace pixlake {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  // close() errors are not actionable here: durability is the job of sync_file(), not close.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::string errno_text(int err) {
  const char* name = strerrorname_np(err);
  return std::string(std::strerror(err)) + " (" + (name ? name : std::to_string(err)) + ")";
}

Status pwrite_all(int fd, const void* data, size_t size, uint64_t offset, const std::string& path) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::pwrite(fd, p, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("'" + path + "': write of " + std::to_string(size) + " bytes at offset " +
                      std::to_string(offset) + " failed: " + errno_text(errno));
    }
    p += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return Status::ok();
}

Status pread_all(int fd, void* data, size_t size, uint64_t offset, const std::string& path) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("'" + path + "': read at offset " + std::to_string(offset) +
                      " failed: " + errno_text(errno));
    }
    if (n == 0)
      return data_loss("'" + path + "': file ends at offset " + std::to_string(offset) + ", " +
                       std::to_string(size) + " bytes short");
    p += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return Status::ok();
}

Status sync_file(int fd, const std::string& path) {
  while (::fdatasync(fd) != 0) {
    if (errno == EINTR) continue;
    return io_error("'" + path + "': fdatasync failed: " + errno_text(errno));
  }
  return Status::ok();
}

Status sync_parent_dir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return io_error("cannot open folder '" + dir + "': " + errno_text(errno));
  while (::fsync(fd.get()) != 0) {
    if (errno == EINTR) continue;
    // Some file systems cannot fsync a folder (EINVAL); their renames are ordered anyway.
    if (errno == EINVAL) break;
    return io_error("fsync of folder '" + dir + "' failed: " + errno_text(errno));
  }
  return Status::ok();
}

}  // namespace pixlake
