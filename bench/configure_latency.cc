// How long `crm configure primitive` takes on a CIB with many resources.
// Target (foundation issue): well under 50 ms with 1,000 resources.
//
//   build/bench/bench_configure_latency [RESOURCES] [RUNS]
//
// Prints the median and worst wall time of the whole command (process start,
// load, validate, atomic write with fsync) and of the in-process part.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cib/edit.h"
#include "cib/store.h"
#include "cli/agent.h"

namespace {

using Clock = std::chrono::steady_clock;
using paceline::cib::Document;

Document MakeDocument(int n) {
  Document doc;
  for (int i = 1; i <= 3; ++i) {
    doc.config.nodes.push_back(
        {.name = "node" + std::to_string(i), .id = unsigned(i)});
  }
  for (int i = 0; i < n; ++i) {
    paceline::cib::Resource r;
    r.id = "rsc" + std::to_string(i);
    r.agent = *paceline::cib::ParseAgentSpec("ocf:heartbeat:Dummy");
    r.params.Set("state", "/run/rsc" + std::to_string(i) + ".state");
    r.ops.push_back({"monitor", {{"interval", "10s"}, {"timeout", "20s"}}});
    r.ops.push_back({"start", {{"interval", "0"}, {"timeout", "60s"}}});
    doc.config.resources.push_back(std::move(r));
    if (i % 10 == 9) {
      doc.config.constraints.push_back(
          paceline::cib::Location{.id = "loc" + std::to_string(i),
                                  .rsc = "rsc" + std::to_string(i),
                                  .score = paceline::cib::Score(100),
                                  .node = "node1"});
    }
  }
  return doc;
}

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void Report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("%-34s median %7.2f ms   p90 %7.2f ms   max %7.2f ms\n", what,
              v[v.size() / 2], v[v.size() * 9 / 10], v.back());
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 30;
  char tmpl[] = "/tmp/paceline-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string cib = dir + "/cib.yaml";
  paceline::cib::CibStore store(cib);
  if (!store.Save(MakeDocument(n)).ok()) return 1;
  std::printf("CIB with %d primitives: %ju bytes\n", n,
              std::uintmax_t(std::filesystem::file_size(cib)));

  std::vector<double> cli, inproc;
  std::string crm = std::filesystem::path(PACELINE_BIN).parent_path() / "crm";
  for (int i = 0; i < runs; ++i) {
    std::string id = "bench" + std::to_string(i);
    std::vector<std::string> words = {crm,
                                      "--cib",
                                      cib,
                                      "configure",
                                      "primitive",
                                      id,
                                      "ocf:heartbeat:Dummy",
                                      "op",
                                      "monitor",
                                      "interval=10s"};
    std::vector<char*> args;
    for (auto& w : words) args.push_back(w.data());
    args.push_back(nullptr);
    auto t0 = Clock::now();
    pid_t pid;
    if (posix_spawn(&pid, crm.c_str(), nullptr, nullptr, args.data(),
                    environ) != 0) {
      return 1;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    cli.push_back(Ms(Clock::now() - t0));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;

    paceline::cib::Resource r;
    r.id = "inproc" + std::to_string(i);
    r.agent = *paceline::cib::ParseAgentSpec("ocf:heartbeat:Dummy");
    t0 = Clock::now();
    paceline::Status s = store.Update([&](Document& doc) {
      return paceline::cib::ApplyEdit(doc, paceline::cib::DefineObjects{{r}},
                                      std::chrono::system_clock::now())
          .status();
    });
    inproc.push_back(Ms(Clock::now() - t0));
    if (!s.ok()) return 1;
  }
  Report("crm configure primitive (process)", cli);
  Report("load+apply+validate+save (in-proc)", inproc);
  // The meta-data lookup `configure primitive` does for its parameter
  // warnings, served from the cache (agents/metadata_cache.h) after the
  // first command above filled it.
  std::vector<double> md;
  auto spec = *paceline::cib::ParseAgentSpec("ocf:heartbeat:Dummy");
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    if (!paceline::cli::FetchMetadata(spec).ok()) return 1;
    md.push_back(Ms(Clock::now() - t0));
  }
  Report("meta-data lookup, cached (in-proc)", md);
  std::filesystem::remove_all(dir);
  return 0;
}
