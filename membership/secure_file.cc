// WriteFileAtomically: the same temp + fsync + rename + fsync(dir) pattern
// as cib/store.cc, with the mode chosen by the caller (0400 for the
// authkey) and an optional no-replace rename for `cluster setup`.
#include "membership/secure_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace paceline::membership {
namespace {

Status IoError(const std::string& path, std::string_view what, int err) {
  return Status::Io(path + ": " + std::string(what) + ": " +
                    std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

Status WriteTemp(const std::string& tmp, std::string_view data, mode_t mode) {
  Fd fd(::open(tmp.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return IoError(tmp, "cannot create", errno);
  while (!data.empty()) {
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(tmp, "write failed", errno);
    data.remove_prefix(size_t(n));
  }
  if (::fchmod(fd.get(), mode) != 0) return IoError(tmp, "chmod failed", errno);
  if (::fsync(fd.get()) != 0) return IoError(tmp, "fsync failed", errno);
  if (fd.Close() != 0) return IoError(tmp, "close failed", errno);
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return IoError(dir, "cannot open directory", errno);
  if (::fsync(fd.get()) != 0) return IoError(dir, "fsync failed", errno);
  return Status::Ok();
}

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Status WriteFileAtomically(const std::string& path, std::string_view data,
                           mode_t mode, bool overwrite) {
  std::filesystem::path p(path);
  std::string dir = p.parent_path().string();
  if (dir.empty()) dir = ".";
  std::string tmp =
      (std::filesystem::path(dir) /
       ("." + p.filename().string() + ".tmp." + std::to_string(::getpid())))
          .string();
  ::unlink(tmp.c_str());  // a leftover of a crashed run of this pid
  Status st = WriteTemp(tmp, data, mode);
  if (st.ok()) {
    int rc = overwrite ? ::rename(tmp.c_str(), path.c_str())
                       : ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD,
                                     path.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && errno == EEXIST) {
      st = Status::Conflict(path + " already exists");
    } else if (rc != 0) {
      st = IoError(path, "rename failed", errno);
    }
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return SyncDirectory(dir);
}

}  // namespace paceline::membership
