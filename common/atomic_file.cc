#include "common/atomic_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/unique_fd.h"

namespace paceline {
namespace {

// The mode (and owner) the new file gets.
struct Attributes {
  mode_t mode;
  bool chown = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Attributes AttributesFor(const std::string& path,
                         const AtomicWriteOptions& options) {
  Attributes a{options.mode};
  struct stat st {};
  if (options.keep_existing_mode && ::stat(path.c_str(), &st) == 0) {
    a.mode = st.st_mode & 07777;
    a.chown = st.st_uid != ::geteuid() || st.st_gid != ::getegid();
    a.uid = st.st_uid;
    a.gid = st.st_gid;
  }
  return a;
}

// Errors name the file the caller asked for, and the temporary one.
Status WriteTemp(const std::string& path, const std::string& tmp,
                 std::string_view data, const Attributes& attrs) {
  UniqueFd fd(::open(
      tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return IoError(path, "cannot create temporary file " + tmp, errno);
  }
  while (!data.empty()) {
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "cannot write " + tmp, errno);
    data.remove_prefix(size_t(n));
  }
  if (::fchmod(fd.get(), attrs.mode) != 0) {
    return IoError(tmp, "chmod failed", errno);
  }
  // Only root may give a file away; others keep what they can.
  if (attrs.chown && ::fchown(fd.get(), attrs.uid, attrs.gid) != 0 &&
      errno != EPERM) {
    return IoError(tmp, "chown failed", errno);
  }
  if (::fsync(fd.get()) != 0) return IoError(tmp, "fsync failed", errno);
  if (fd.Close() != 0) return IoError(tmp, "close failed", errno);
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
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
                           const AtomicWriteOptions& options) {
  std::filesystem::path p(path);
  std::string dir = p.parent_path().string();
  if (dir.empty()) dir = ".";
  std::string tmp =
      (std::filesystem::path(dir) /
       ("." + p.filename().string() + ".tmp." + std::to_string(::getpid())))
          .string();
  ::unlink(tmp.c_str());  // a leftover of a crashed run of this pid
  Status st = WriteTemp(path, tmp, data, AttributesFor(path, options));
  if (st.ok()) {
    int rc = options.overwrite ? ::rename(tmp.c_str(), path.c_str())
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

}  // namespace paceline
