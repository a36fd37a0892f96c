#include "agents/executor.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>

namespace paceline::agents {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Executor::Job {
  Job(asio::io_context& io, ActionRequest r, Callback cb, size_t head,
      size_t tail)
      : req(std::move(r)), done(std::move(cb)), timer(io), output(head, tail) {}

  ActionRequest req;
  Callback done;
  Invocation inv;
  int pid = -1;
  std::optional<asio::posix::stream_descriptor> pidfd;
  std::optional<asio::posix::stream_descriptor> out;
  asio::steady_timer timer;
  Clock::time_point started;
  BoundedOutput output;
  std::array<char, 64 * 1024> buf;
  bool timed_out = false;
  bool reaped = false;  // by ReapChildren, before its pidfd reported
  int wait_status = 0;
  bool finished = false;  // stale handlers check this first
};

struct Executor::Recurring {
  Recurring(asio::io_context& io, ActionRequest r, Callback cb)
      : req(std::move(r)), each(std::move(cb)), timer(io) {}
  ActionRequest req;
  Callback each;
  asio::steady_timer timer;
  bool cancelled = false;
};

namespace {

// Signals reset to their defaults in the agent: a daemon may ignore SIGPIPE
// or handle SIGCHLD, and ignored dispositions survive exec.
constexpr int kDefaultSignals[] = {SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP,
                                   SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM};

ActionResult Failed(ExecStatus status, int rc, std::string reason) {
  ActionResult r;
  r.status = status;
  r.rc = rc;
  r.reason = std::move(reason);
  return r;
}

// The agent as a not-installed result, or nullopt when it can be run.
std::optional<ActionResult> CheckAgentFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Failed(ExecStatus::kNotInstalled, kOcfErrInstalled,
                  "agent " + path + " not found: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
    return Failed(ExecStatus::kNotInstalled, kOcfErrInstalled,
                  "agent " + path + " is not an executable file");
  }
  return std::nullopt;
}

std::vector<char*> CStrings(std::vector<std::string>& words) {
  std::vector<char*> out;
  out.reserve(words.size() + 1);
  for (auto& w : words) out.push_back(w.data());
  out.push_back(nullptr);
  return out;
}

// posix_spawn with a new process group, stdin /dev/null, stdout and stderr
// on out_fd, every other fd closed. Returns 0 or an errno.
int SpawnAgent(Invocation& inv, int out_fd, pid_t* pid) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
                                      POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attr, &mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : kDefaultSignals) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::vector<char*> argv = CStrings(inv.argv);
  std::vector<char*> envp = CStrings(inv.env);
  int rc =
      posix_spawn(pid, inv.path.c_str(), &fa, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  return rc;
}

}  // namespace

Executor::Executor(asio::io_context& io, NodeContext node,
                   ExecutorOptions options)
    : io_(io), node_(std::move(node)), options_(options) {
  if (options_.max_concurrent == 0) options_.max_concurrent = 1;
  if (options_.reap_orphans) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    sigchld_.emplace(io_, SIGCHLD);
    WatchChildren();
  }
}

Executor::~Executor() {
  alive_.reset();
  for (auto& [pid, job] : by_pid_) {
    job->finished = true;
    if (!job->reaped) {
      kill(-pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    job->timer.cancel();
    boost::system::error_code ignored;
    if (job->pidfd) job->pidfd->close(ignored);
    if (job->out) job->out->close(ignored);
  }
  for (auto& [id, rec] : recurring_) {
    rec->cancelled = true;
    rec->timer.cancel();
  }
  if (sigchld_) {
    boost::system::error_code ignored;
    sigchld_->cancel(ignored);
  }
}

Result<Executor::RecurringId> Executor::StartRecurring(ActionRequest req,
                                                       Callback each) {
  if (req.interval_ms <= 0) {
    return Status::Invalid("a recurring " + req.action + " on " +
                           req.resource_id + " needs an interval");
  }
  RecurringId id = next_recurring_++;
  auto rec = std::make_shared<Recurring>(io_, std::move(req), std::move(each));
  recurring_[id] = rec;
  RunRecurring(rec);
  return id;
}

bool Executor::CancelRecurring(RecurringId id) {
  auto it = recurring_.find(id);
  if (it == recurring_.end()) return false;
  it->second->cancelled = true;
  it->second->timer.cancel();
  recurring_.erase(it);
  return true;
}

void Executor::RunRecurring(const std::shared_ptr<Recurring>& rec) {
  std::weak_ptr<int> alive = alive_;
  Submit(rec->req, [this, rec, alive](ActionResult r) {
    if (rec->cancelled) return;
    rec->each(std::move(r));
    // each() may have cancelled it, or destroyed the executor.
    if (rec->cancelled || alive.expired()) return;
    // The interval runs from the end of one run, as Pacemaker's does: a slow
    // agent never has two runs queued.
    rec->timer.expires_after(std::chrono::milliseconds(rec->req.interval_ms));
    rec->timer.async_wait(
        [this, rec, alive](const boost::system::error_code& ec) {
          if (ec || alive.expired() || rec->cancelled) return;
          RunRecurring(rec);
        });
  });
}

void Executor::Submit(ActionRequest req, Callback done) {
  pending_.push_back(std::make_shared<Job>(io_, std::move(req), std::move(done),
                                           options_.output_head_bytes,
                                           options_.output_tail_bytes));
  Pump();
}

void Executor::Pump() {
  for (auto it = pending_.begin();
       it != pending_.end() && busy_.size() < options_.max_concurrent;) {
    if (busy_.count((*it)->req.resource_id)) {
      ++it;  // an earlier action on this resource is still running
      continue;
    }
    JobPtr job = *it;
    it = pending_.erase(it);
    Start(job);
  }
}

void Executor::Start(const JobPtr& job) {
  busy_.insert(job->req.resource_id);
  job->started = Clock::now();
  Result<Invocation> inv = BuildInvocation(job->req, node_);
  if (!inv.ok()) {
    CompleteLater(job, Failed(ExecStatus::kError, kOcfErrGeneric,
                              inv.status().message()));
    return;
  }
  job->inv = std::move(inv).value();
  if (auto failed = Spawn(*job)) {
    CompleteLater(job, std::move(*failed));
    return;
  }
  by_pid_[job->pid] = job;
  ReadOutput(job);
  WaitForExit(job);
  ArmTimeout(job);
}

std::optional<ActionResult> Executor::Spawn(Job& job) {
  if (auto missing = CheckAgentFile(job.inv.path)) return missing;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Failed(
        ExecStatus::kError, kOcfErrGeneric,
        std::string("could not execute: pipe: ") + std::strerror(errno));
  }
  pid_t pid = -1;
  int err = SpawnAgent(job.inv, fds[1], &pid);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    bool missing = err == ENOENT || err == EACCES || err == ENOEXEC;
    return Failed(
        missing ? ExecStatus::kNotInstalled : ExecStatus::kError,
        missing ? kOcfErrInstalled : kOcfErrGeneric,
        "could not execute " + job.inv.path + ": " + std::strerror(err));
  }
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    int e = errno;
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close(fds[0]);
    return Failed(ExecStatus::kError, kOcfErrGeneric,
                  std::string("could not watch the agent: pidfd_open: ") +
                      std::strerror(e));
  }
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  job.pid = pid;
  job.out.emplace(io_, fds[0]);
  job.pidfd.emplace(io_, pidfd);
  return std::nullopt;
}

void Executor::ReadOutput(const JobPtr& job) {
  job->out->async_read_some(
      asio::buffer(job->buf),
      [this, job](const boost::system::error_code& ec, size_t n) {
        if (job->finished) return;
        job->output.Append(std::string_view(job->buf.data(), n));
        if (ec) return;  // EOF or error: stop reading, exit still pending
        ReadOutput(job);
      });
}

void Executor::WaitForExit(const JobPtr& job) {
  std::weak_ptr<int> alive = alive_;
  job->pidfd->async_wait(asio::posix::stream_descriptor::wait_read,
                         [this, job, alive](const boost::system::error_code&) {
                           if (alive.expired() || job->finished) return;
                           OnExit(job);
                         });
}

void Executor::ArmTimeout(const JobPtr& job) {
  job->timer.expires_after(std::chrono::milliseconds(job->req.timeout_ms));
  job->timer.async_wait([this, job](const boost::system::error_code& ec) {
    // A reaped leader has exited (OnExit is on its way) and its pid may
    // already be reused: never signal it.
    if (ec || job->finished || job->reaped) return;
    job->timed_out = true;
    kill(-job->pid, SIGTERM);
    job->timer.expires_after(options_.kill_grace);
    job->timer.async_wait([job](const boost::system::error_code& ec2) {
      if (ec2 || job->finished || job->reaped) return;
      kill(-job->pid, SIGKILL);
    });
  });
}

void Executor::OnExit(const JobPtr& job) {
  // The exited leader is a zombie until reaped, so its pid still names the
  // group: no other process can have taken it.
  if (job->timed_out && !job->reaped) kill(-job->pid, SIGKILL);
  if (!job->reaped) {
    while (waitpid(job->pid, &job->wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  DrainOutput(*job);
  ActionResult r;
  r.pid = job->pid;
  int st = job->wait_status;
  if (job->timed_out) {
    r.status = ExecStatus::kTimedOut;
    r.rc = kOcfErrGeneric;
    r.reason = "timed out after " + std::to_string(job->req.timeout_ms) +
               " ms; process group killed";
  } else if (WIFEXITED(st)) {
    r.status = ExecStatus::kDone;
    r.raw_rc = WEXITSTATUS(st);
    r.rc = MapExitCode(job->inv.agent_class, job->req.action, r.raw_rc);
  } else {
    r.status = ExecStatus::kError;
    r.rc = kOcfErrGeneric;
    r.reason = "agent killed by signal " +
               std::to_string(WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  }
  Complete(job, std::move(r));
}

void Executor::DrainOutput(Job& job) {
  // Bounded: a background child may keep writing forever.
  constexpr size_t kMaxDrain = 1 << 20;
  int fd = job.out->native_handle();
  for (size_t drained = 0; drained < kMaxDrain;) {
    ssize_t n = read(fd, job.buf.data(), job.buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    job.output.Append(std::string_view(job.buf.data(), size_t(n)));
    drained += size_t(n);
  }
}

void Executor::CompleteLater(const JobPtr& job, ActionResult result) {
  std::weak_ptr<int> alive = alive_;
  asio::post(io_, [this, alive, job, r = std::move(result)]() mutable {
    if (alive.expired()) return;
    Complete(job, std::move(r));
  });
}

void Executor::Complete(const JobPtr& job, ActionResult result) {
  job->finished = true;
  job->timer.cancel();
  boost::system::error_code ignored;
  if (job->pidfd) job->pidfd->close(ignored);
  if (job->out) job->out->close(ignored);
  // Only its own entry: once reaped, its pid may already name a new agent.
  auto it = by_pid_.find(job->pid);
  if (it != by_pid_.end() && it->second == job) by_pid_.erase(it);
  busy_.erase(job->req.resource_id);
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - job->started);
  result.output = std::move(job->output);
  Pump();
  job->done(std::move(result));
}

void Executor::WatchChildren() {
  std::weak_ptr<int> alive = alive_;
  sigchld_->async_wait([this, alive](const boost::system::error_code& ec, int) {
    if (ec || alive.expired()) return;
    ReapChildren();
    WatchChildren();
  });
}

void Executor::ReapChildren() {
  int st = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    auto it = by_pid_.find(pid);
    if (it == by_pid_.end()) continue;  // an orphan: reaping is the point
    // One of ours: keep its status for OnExit, which its pidfd triggers.
    Job& job = *it->second;
    job.reaped = true;
    job.wait_status = st;
    // As in OnExit, but right away, while nothing can have reused the pid.
    if (job.timed_out) kill(-pid, SIGKILL);
  }
}

}  // namespace paceline::agents
