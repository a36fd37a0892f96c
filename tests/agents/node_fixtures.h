// Test scaffolding for real agents that change the machine: a simulated
// node's private mount namespace, loop devices with a real file system, and
// shell helpers. Every class undoes what it did in its destructor, so a
// failing assertion (which returns from the test body) still leaves the
// machine as it was: no mount, no loop device, no process, no file.
//
// Why namespaces live here and not in the executor: a node's daemon (issue
// 7) runs inside that node's mount and network namespaces, and every agent
// it spawns inherits them. The executor has no namespace code; a test plays
// the daemon by moving its own (single-threaded) process into the node's
// namespace while it runs that node's actions.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace paceline::agents::testing {

struct ShellResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs cmd with /bin/sh, capturing both output streams.
inline ShellResult Shell(const std::string& cmd) {
  ShellResult r;
  FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Is dir a mount point in the calling process's mount namespace?
inline bool MountedHere(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" " + dir + " ") != std::string::npos) return true;
  }
  return false;
}

// The mount options of dir ("rw,noatime"), "" when not mounted.
inline std::string MountOptions(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    size_t at = line.find(" " + dir + " ");
    if (at == std::string::npos) continue;
    size_t start = at + dir.size() + 2;
    return line.substr(start, line.find(' ', start) - start);
  }
  return "";
}

// A private mount namespace for one simulated node. Created with private
// propagation (nothing mounted inside leaks out, nothing from outside
// arrives), kept alive by an fd while the test is outside it. Enter()/Leave()
// move the calling process; the process must be single-threaded (setns on a
// mount namespace refuses a process sharing its fs struct).
//
// Destruction kills every process still living in the namespace (a crashed
// node: e.g. a postmaster left by a failed test), waits for them, and closes
// the fd, which tears down the namespace and all of its mounts.
class MountNamespace {
 public:
  MountNamespace() {
    orig_ = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    cwd_ = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (orig_ < 0 || cwd_ < 0) {
      Fail("open own namespace");
      return;
    }
    if (unshare(CLONE_NEWNS) != 0) {
      Fail("unshare(CLONE_NEWNS)");
      return;
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      Fail("make / private");
    }
    ns_ = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    char link[64] = {};
    if (readlink("/proc/self/ns/mnt", link, sizeof link - 1) > 0) id_ = link;
    Leave();
    if (ns_ < 0) Fail("open the new namespace");
  }
  ~MountNamespace() {
    if (ns_ >= 0) KillMembers();
    for (int fd : {ns_, orig_, cwd_}) {
      if (fd >= 0) close(fd);
    }
  }
  MountNamespace(const MountNamespace&) = delete;
  MountNamespace& operator=(const MountNamespace&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& id() const { return id_; }  // "mnt:[4026532xxx]"

  bool Enter() { return ns_ >= 0 && setns(ns_, CLONE_NEWNS) == 0; }
  void Leave() {
    if (orig_ >= 0) setns(orig_, CLONE_NEWNS);
    if (cwd_ >= 0 && fchdir(cwd_) != 0) Fail("fchdir back");
  }

  // The calling process in the namespace for one scope.
  class Inside {
   public:
    explicit Inside(MountNamespace& ns) : ns_(ns), ok_(ns.Enter()) {}
    ~Inside() {
      if (ok_) ns_.Leave();
    }
    bool ok() const { return ok_; }

   private:
    MountNamespace& ns_;
    bool ok_;
  };

  // Pids of processes whose mount namespace is this one.
  std::vector<int> Members() const {
    std::vector<int> pids;
    DIR* d = opendir("/proc");
    if (!d) return pids;
    while (dirent* e = readdir(d)) {
      int pid = atoi(e->d_name);
      if (pid <= 0 || pid == getpid()) continue;
      char link[64] = {};
      std::string path = "/proc/" + std::string(e->d_name) + "/ns/mnt";
      if (readlink(path.c_str(), link, sizeof link - 1) > 0 && link == id_) {
        pids.push_back(pid);
      }
    }
    closedir(d);
    return pids;
  }

 private:
  void Fail(const char* what) {
    if (error_.empty()) error_ = std::string(what) + ": " + strerror(errno);
  }
  void KillMembers() {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
      std::vector<int> pids = Members();
      if (pids.empty()) return;
      for (int pid : pids) kill(pid, SIGKILL);
      // We may be their subreaper: reap what died, then look again.
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      usleep(20000);
    }
  }

  int orig_ = -1;
  int cwd_ = -1;
  int ns_ = -1;
  std::string id_;
  std::string error_;
};

// A sparse backing file attached to a loop device and formatted. The
// destructor detaches the device (the kernel frees it once the last mount
// of it is gone) and removes the file.
class LoopDevice {
 public:
  // fstype "xfs", "ext4", or "" for no file system; size_mb >= 300 for xfs.
  LoopDevice(const std::string& file, int size_mb, const std::string& fstype)
      : file_(file) {
    ShellResult r = Shell("truncate -s " + std::to_string(size_mb) + "M " +
                          file + " && losetup --find --show " + file);
    if (r.exit_code != 0) {
      error_ = "losetup: " + r.output;
      return;
    }
    device_ = r.output.substr(0, r.output.find('\n'));
    if (fstype.empty()) return;
    std::string mkfs = fstype == "xfs" ? "mkfs.xfs -q -f " : "mkfs.ext4 -q -F ";
    r = Shell(mkfs + device_);
    if (r.exit_code != 0) error_ = "mkfs: " + r.output;
  }
  ~LoopDevice() {
    if (!device_.empty()) Shell("losetup -d " + device_);
    std::filesystem::remove(file_);
  }
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& device() const { return device_; }
  // Is the device still attached (to our file)?
  bool Attached() const {
    return !device_.empty() &&
           Shell("losetup -j " + file_ + " | grep -q '^" + device_ + ":'")
                   .exit_code == 0;
  }

 private:
  std::string file_;
  std::string device_;
  std::string error_;
};

}  // namespace paceline::agents::testing
