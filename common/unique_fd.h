// UniqueFd owns one file descriptor and closes it; IoError builds the kIo
// status every file operation reports ("PATH: what: strerror"). Shared by
// the modules that touch files directly.
#pragma once

#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace paceline {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the error close() may carry (NFS reports
  // deferred write errors there).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

inline Status IoError(const std::string& path, std::string_view what, int err) {
  return Status::Io(path + ": " + std::string(what) + ": " +
                    std::strerror(err));
}

}  // namespace paceline
