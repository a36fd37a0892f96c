// The differential tests by hand: many seeds, one CIB, or a generated CIB.
//
//   differential --seeds FROM-TO [--jobs N] [--save-dir DIR] [--paceline BIN]
//   differential --file CIB.xml [--paceline BIN]
//   differential --print SEED
//
// --seeds prints one line per seed that does not agree (known differences
// marked), then the figures; --save-dir keeps those seeds' CIBs. Exit 0
// when every seed agrees or is a known difference, 1 otherwise, 2 on usage.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "tests/differential/cib_generator.h"
#include "tests/differential/known_differences.h"
#include "tests/differential/runner.h"

namespace {

namespace diff = paceline::differential;

int Usage() {
  std::fprintf(stderr,
               "usage: differential --seeds FROM-TO [--jobs N] [--save-dir "
               "DIR] [--paceline BIN]\n"
               "       differential --file CIB.xml [--paceline BIN]\n"
               "       differential --print SEED\n");
  return 2;
}

struct Tally {
  std::mutex mu;
  std::map<std::string, int> counts;
  int known = 0;
  int unexpected = 0;
};

void RunOne(const diff::Runner& runner, std::uint64_t seed,
            const std::string& save_dir, Tally& t) {
  std::string xml = diff::GenerateCib(seed);
  diff::Verdict v = runner.RunXml(xml);
  std::lock_guard lock(t.mu);
  ++t.counts[diff::KindName(v.kind)];
  if (v.kind == diff::Verdict::kAgree) return;
  const diff::KnownDifference* k = diff::FindKnownDifference(seed);
  bool invalid = k && std::string(k->section).find("invalid transition") !=
                          std::string::npos;
  bool known = k && v.kind == (invalid ? diff::Verdict::kPacemakerFailed
                                       : diff::Verdict::kDisagree);
  known ? ++t.known : ++t.unexpected;
  std::printf(
      "seed %llu: %s%s", (unsigned long long)seed,
      diff::KindName(v.kind).c_str(),
      known ? (std::string(" (known: ") + k->section + ")").c_str() : "");
  if (!v.detail.empty()) std::printf(": %s", v.detail.c_str());
  for (const auto& d : v.differences) std::printf("\n    %s", d.c_str());
  std::printf("\n");
  std::fflush(stdout);
  if (!save_dir.empty()) {
    std::ofstream(save_dir + "/seed-" + std::to_string(seed) + ".xml") << xml;
  }
}

int RunSeeds(const diff::Runner& runner, std::uint64_t from, std::uint64_t to,
             int jobs, const std::string& save_dir) {
  if (!save_dir.empty()) std::filesystem::create_directories(save_dir);
  Tally t;
  std::atomic<std::uint64_t> next{from};
  std::vector<std::thread> workers;
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      for (std::uint64_t s = next++; s <= to; s = next++) {
        RunOne(runner, s, save_dir, t);
      }
    });
  }
  for (auto& w : workers) w.join();
  std::printf("seeds %llu-%llu: %llu run", (unsigned long long)from,
              (unsigned long long)to, (unsigned long long)(to - from + 1));
  for (const auto& [kind, n] : t.counts) {
    std::printf(", %s %d", kind.c_str(), n);
  }
  std::printf("; known differences %d, unexpected %d\n", t.known, t.unexpected);
  return t.unexpected == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  diff::Runner runner{.paceline_bin = PACELINE_BIN};
  std::string save_dir, file;
  std::uint64_t from = 0, to = 0, print = 0;
  bool seeds = false, do_print = false;
  int jobs = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has = i + 1 < argc;
    if (a == "--seeds" && has) {
      unsigned long long f = 0, l = 0;
      if (std::sscanf(argv[++i], "%llu-%llu", &f, &l) != 2 || l < f) {
        return Usage();
      }
      from = f, to = l, seeds = true;
    } else if (a == "--jobs" && has) {
      jobs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--save-dir" && has) {
      save_dir = argv[++i];
    } else if (a == "--paceline" && has) {
      runner.paceline_bin = argv[++i];
    } else if (a == "--file" && has) {
      file = argv[++i];
    } else if (a == "--print" && has) {
      print = std::strtoull(argv[++i], nullptr, 10), do_print = true;
    } else {
      return Usage();
    }
  }
  if (do_print) {
    std::fputs(diff::GenerateCib(print).c_str(), stdout);
    return 0;
  }
  if (!file.empty()) {
    diff::Verdict v = runner.RunFile(file);
    std::printf("%s: %s", file.c_str(), diff::KindName(v.kind).c_str());
    if (!v.detail.empty()) std::printf(": %s", v.detail.c_str());
    for (const auto& d : v.differences) std::printf("\n    %s", d.c_str());
    std::printf("\n");
    return v.kind == diff::Verdict::kAgree ? 0 : 1;
  }
  if (!seeds) return Usage();
  return RunSeeds(runner, from, to, jobs, save_dir);
}
