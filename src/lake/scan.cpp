#include "lake/scan.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>
#include <utility>

namespace pixlake {

namespace {

struct DirKey {
  dev_t dev;
  ino_t ino;
  bool operator<(const DirKey& o) const { return dev != o.dev ? dev < o.dev : ino < o.ino; }
};

class Walker {
 public:
  explicit Walker(ScanResult& result) : result_(result) {}

  void walk_dir(const std::string& dir, const struct stat& st, int depth) {
    // A directory reached twice (a symlink loop, or two links to one folder) is walked once.
    if (!visited_.insert(DirKey{st.st_dev, st.st_ino}).second) {
      problem(dir, "directory already visited (symbolic link loop or duplicate link); skipped");
      return;
    }
    if (depth > kMaxDepth) {
      problem(dir, "directory nesting deeper than " + std::to_string(kMaxDepth) + "; skipped");
      return;
    }
    DIR* handle = ::opendir(dir.c_str());
    if (handle == nullptr) {
      problem(dir, std::string("cannot open directory: ") + std::strerror(errno));
      return;
    }
    std::vector<std::string> names;
    while (struct dirent* entry = ::readdir(handle)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      names.push_back(std::move(name));
    }
    ::closedir(handle);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      std::string child = dir == "/" ? "/" + name : dir + "/" + name;
      visit(child, /*named_directly=*/false, depth + 1);
    }
  }

  void visit(const std::string& path, bool named_directly, int depth) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      struct stat lst;
      bool dangling = ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
      problem(path, dangling ? "dangling symbolic link"
                             : std::string("cannot stat: ") + std::strerror(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walk_dir(path, st, depth);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      if (named_directly) problem(path, "not a regular file");
      return;
    }
    if (!named_directly && !has_image_extension(path)) {
      ++result_.skipped_not_image;
      return;
    }
    result_.files.push_back(ScannedFile{
        path, FileStamp{static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtime)}});
  }

 private:
  static constexpr int kMaxDepth = 256;

  void problem(const std::string& path, const std::string& error) {
    result_.problems.push_back(
        IngestFailure{path, 0, 0, error, static_cast<int64_t>(::time(nullptr))});
  }

  ScanResult& result_;
  std::set<DirKey> visited_;
};

}  // namespace

bool has_image_extension(const std::string& path) {
  static const std::set<std::string> kExtensions = {"jpg", "jpeg", "jpe",  "png",  "webp", "gif",
                                                    "bmp", "tif",  "tiff", "heic", "heif", "avif"};
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return kExtensions.count(ext) > 0;
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  std::string normal = absolute.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

Result<ScanResult> scan_paths(const std::vector<std::string>& roots) {
  ScanResult result;
  Walker walker(result);
  for (const auto& root : roots) {
    std::string path = absolute_path(root);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      return not_found("add: '" + root + "': " + std::strerror(errno));
    }
    walker.visit(path, /*named_directly=*/true, 0);
  }
  std::sort(result.files.begin(), result.files.end(),
            [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
  result.files.erase(
      std::unique(result.files.begin(), result.files.end(),
                  [](const ScannedFile& a, const ScannedFile& b) { return a.path == b.path; }),
      result.files.end());
  return result;
}

}  // namespace pixlake
