// The transition journal (see journal.h).
#include "crmd/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>

#include "common/unique_fd.h"

namespace paceline::crmd {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string_view StateName(ActionState s) {
  switch (s) {
    case ActionState::kWaiting:
      return "waiting";
    case ActionState::kInFlight:
      return "in flight";
    case ActionState::kDone:
      return "done";
    case ActionState::kFailed:
      return "failed";
    case ActionState::kNever:
      return "never";
  }
  return "?";
}

// The number of a journal file name ("42.json", "42-input.yaml"), or 0.
uint64_t NumberOf(const std::string& name) {
  uint64_t n = 0;
  size_t i = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) {
    n = n * 10 + uint64_t(name[i] - '0');
  }
  return i > 0 && i < name.size() ? n : 0;
}

Status WriteWhole(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  UniqueFd fd(
      open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return Status::Unavailable("cannot write " + tmp + ": " +
                               std::strerror(errno));
  }
  for (size_t done = 0; done < data.size();) {
    ssize_t n = write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      unlink(tmp.c_str());
      return Status::Unavailable("cannot write " + tmp + ": " + why);
    }
    done += size_t(n);
  }
  if (fd.Close() != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    unlink(tmp.c_str());
    return Status::Unavailable("cannot write " + path + ": " + why);
  }
  return Status::Ok();
}

}  // namespace

TransitionJournal::TransitionJournal(std::string dir, size_t keep)
    : dir_(std::move(dir)), keep_(std::max<size_t>(keep, 1)) {}

Status TransitionJournal::Open() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    return Status::Unavailable("cannot create " + dir_ + ": " + ec.message());
  }
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    next_ = std::max(next_, NumberOf(e.path().filename().string()) + 1);
  }
  return Status::Ok();
}

Result<uint64_t> TransitionJournal::Record(std::string_view input_yaml,
                                           json::object record) {
  uint64_t n = next_++;
  record["journal"] = n;
  std::string base = dir_ + "/" + std::to_string(n);
  PL_RETURN_IF_ERROR(WriteWhole(base + "-input.yaml", input_yaml));
  PL_RETURN_IF_ERROR(
      WriteWhole(base + ".json", json::serialize(record) + "\n"));
  Prune();
  return n;
}

void TransitionJournal::Prune() {
  if (next_ <= keep_ + 1) return;
  uint64_t oldest_kept = next_ - keep_;
  std::error_code ec;
  std::vector<fs::path> old;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    uint64_t n = NumberOf(e.path().filename().string());
    if (n != 0 && n < oldest_kept) old.push_back(e.path());
  }
  for (const auto& p : old) fs::remove(p, ec);
}

json::object TransitionRecord(const TransitionRunner& runner) {
  const policy::TransitionGraph& g = runner.graph();
  std::vector<std::vector<int>> preds(g.actions.size());
  for (const policy::Edge& e : g.edges)
    preds[size_t(e.then)].push_back(e.first);
  // Real predecessors of each action, looking through pseudo actions
  // (memoized: clone milestones are shared by many actions).
  std::vector<std::optional<std::set<int>>> memo(g.actions.size());
  std::function<const std::set<int>&(int)> real_preds =
      [&](int i) -> const std::set<int>& {
    if (memo[size_t(i)]) return *memo[size_t(i)];
    std::set<int> out;
    for (int p : preds[size_t(i)]) {
      if (g.actions[size_t(p)].pseudo) {
        const std::set<int>& through = real_preds(p);
        out.insert(through.begin(), through.end());
      } else {
        out.insert(p);
      }
    }
    memo[size_t(i)] = std::move(out);
    return *memo[size_t(i)];
  };
  json::array actions;
  for (const policy::Action& a : g.actions) {
    if (a.pseudo) continue;
    json::array after_json;
    for (int p : real_preds(a.id)) after_json.push_back(p);
    actions.push_back(
        json::object{{"id", a.id},
                     {"action", std::string(policy::TaskName(a.task))},
                     {"resource", a.resource},
                     {"node", a.node},
                     {"interval_ms", a.interval_ms},
                     {"reason", a.reason},
                     {"after", std::move(after_json)},
                     {"state", std::string(StateName(runner.state(a.id)))}});
  }
  return json::object{{"schema", "paceline.transition/1"},
                      {"transition", runner.id()},
                      {"aborted", runner.aborted()},
                      {"reason", runner.abort_reason()},
                      {"actions", std::move(actions)}};
}

}  // namespace paceline::crmd
