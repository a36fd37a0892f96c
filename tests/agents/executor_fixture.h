// A fixture for executor tests with real agents: a private temp dir (state
// files, HA_RSCTMP, a temp OCF_ROOT for hand-written agents), an executor
// that reaps orphans, and a TearDown that kills every process group a test
// saw and removes the dir even when the test failed.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agents/executor.h"

namespace paceline::agents::testing {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

inline int CountOpenFds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n - 1;  // the DIR's own fd
}

inline std::string HostName() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

inline bool GroupGone(int pgid) {
  return kill(-pgid, 0) == -1 && errno == ESRCH;
}

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/paceline-agents-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::create_directories(dir_ + "/rsctmp");
    std::filesystem::create_directories(dir_ + "/varrun");
    std::filesystem::create_directories(dir_ + "/ocf/resource.d/test");
    node_.node_name = HostName();
    node_.ha_rsctmp = dir_ + "/rsctmp";
    node_.ha_varrun = dir_ + "/varrun/";
    options_.reap_orphans = true;
  }

  void TearDown() override {
    executor_.reset();
    for (int pgid : groups_) kill(-pgid, SIGKILL);
    // Reap what the kills left (we are the subreaper), briefly.
    auto until = Steady::now() + milliseconds(2000);
    while (Steady::now() < until) {
      pid_t p = waitpid(-1, nullptr, WNOHANG);
      if (p < 0) break;
      if (p == 0) usleep(10000);
    }
    std::filesystem::remove_all(dir_);
  }

  Executor& Exec() {
    if (!executor_)
      executor_ = std::make_unique<Executor>(io_, node_, options_);
    return *executor_;
  }

  ActionRequest Ocf(
      const std::string& id, const std::string& provider,
      const std::string& type, const std::string& action,
      std::vector<std::pair<std::string, std::string>> params = {}) {
    ActionRequest r;
    r.resource_id = id;
    r.agent = {"ocf", provider, type};
    r.action = action;
    for (auto& [k, v] : params) r.params.Set(k, v);
    r.timeout_ms = 20000;
    return r;
  }

  ActionRequest Dummy(
      const std::string& id, const std::string& action,
      std::vector<std::pair<std::string, std::string>> params = {}) {
    params.push_back({"state", dir_ + "/" + id + ".state"});
    return Ocf(id, "pacemaker", "Dummy", action, params);
  }

  // Writes an executable agent to the temp OCF_ROOT as ocf:test:NAME.
  void WriteAgent(const std::string& name, const std::string& body,
                  mode_t mode = 0755) {
    std::string path = dir_ + "/ocf/resource.d/test/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), mode);
  }
  void UseTestOcfRoot() { node_.ocf_root = dir_ + "/ocf"; }

  // Runs the io_context until n callbacks came or the deadline passed.
  std::vector<ActionResult> RunAll(
      std::vector<ActionRequest> reqs,
      milliseconds deadline = milliseconds(15000)) {
    std::vector<ActionResult> results(reqs.size());
    size_t done = 0;
    for (size_t i = 0; i < reqs.size(); ++i) {
      Exec().Submit(std::move(reqs[i]), [&, i](ActionResult r) {
        if (r.pid > 0) groups_.insert(r.pid);
        results[i] = std::move(r);
        ++done;
      });
    }
    RunUntil([&] { return done == results.size(); }, deadline);
    EXPECT_EQ(done, results.size()) << "actions did not complete in time";
    return results;
  }
  ActionResult Run(ActionRequest req) {
    return std::move(RunAll({std::move(req)})[0]);
  }

  template <typename Pred>
  bool RunUntil(Pred pred, milliseconds deadline) {
    auto until = Steady::now() + deadline;
    while (!pred() && Steady::now() < until) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(milliseconds(20));
    }
    return pred();
  }

  boost::asio::io_context io_;
  NodeContext node_;
  ExecutorOptions options_;
  std::unique_ptr<Executor> executor_;
  std::string dir_;
  std::set<int> groups_;  // every agent's process group, killed at TearDown
};

}  // namespace paceline::agents::testing
