// The scheduler's golden cases: one directory per case under
// tests/policy/cases/NAME/ (the habit of Pacemaker's cts/scheduler, with
// names that say what they pin):
//
//   description  one line: what the case pins
//   cib.yaml     the input, configuration + status (hand-written)
//   quorum       optional; "false" schedules without quorum
//   expect       hand-written assertions (grammar in golden_expect.h)
//   summary      blessed `paceline simulate` text
//   scores       blessed `paceline simulate --scores` text
//   graph.dot    blessed `paceline simulate --dot` graph
//
// Two tests per case. Expect/NAME schedules the snapshot in-process with a
// fixed `now` and checks every expect line: this is the semantic contract.
// Blessed/NAME runs the built binary and diffs its three outputs against
// the blessed files: a regression net for the text, not a statement of what
// is right. With PACELINE_UPDATE_GOLDEN=1 Blessed/NAME rewrites the three
// files instead, but only for a case whose expect lines all hold, so
// nothing wrong gets blessed. tests/policy/run-cases wraps both.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/run_util.h"
#include "cib/duration.h"
#include "cib/store.h"
#include "cib/validate.h"
#include "golden_expect.h"
#include "policy/policy.h"

namespace paceline::policy {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

constexpr char kCasesDir[] = PACELINE_SOURCE_DIR "/tests/policy/cases";
// Every case is scheduled at this instant; lifetimes and failure timeouts
// in the cases are written relative to it. `paceline simulate` reads the
// real clock (it has no option to fix it yet), so the cases keep such
// instants far enough from kNow that both answers agree for years.
constexpr char kNow[] = "2026-11-25T10:00:00Z";

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& d : fs::directory_iterator(kCasesDir, ec)) {
    if (d.is_directory()) names.push_back(d.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool UpdateMode() {
  const char* v = std::getenv("PACELINE_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' ||
                        s.back() == '\r' || s.back() == '\t')) {
    s.pop_back();
  }
  size_t b = s.find_first_not_of(" \t\n");
  return b == std::string::npos ? "" : s.substr(b);
}

struct Case {
  std::string name;
  std::string dir;
  std::string cib_text;
  cib::Document doc;
  bool quorate = true;
  std::vector<golden::Expectation> expects;
  std::string File(const std::string& f) const { return dir + "/" + f; }
};

// Loads and sanity-checks a case directory; failures are the case's fault.
Result<Case> LoadCase(const std::string& name) {
  Case c;
  c.name = name;
  c.dir = std::string(kCasesDir) + "/" + name;
  std::string description = Trim(ReadFile(c.File("description")));
  if (description.empty() || description.find('\n') != std::string::npos) {
    return Status::Invalid(name + "/description: want exactly one line");
  }
  c.cib_text = ReadFile(c.File("cib.yaml"));
  Result<cib::Document> doc = cib::ParseDocument(c.cib_text);
  if (!doc.ok()) {
    return doc.status().WithContext(name + "/cib.yaml");
  }
  c.doc = std::move(*doc);
  for (const cib::Problem& p : cib::Check(c.doc.config)) {
    if (p.error) return Status::Invalid(name + "/cib.yaml: " + p.message);
  }
  if (fs::exists(c.File("quorum"))) {
    std::string q = Trim(ReadFile(c.File("quorum")));
    if (q != "true" && q != "false") {
      return Status::Invalid(name + "/quorum: want true or false");
    }
    c.quorate = q == "true";
  }
  Result<std::vector<golden::Expectation>> expects =
      golden::ParseExpect(ReadFile(c.File("expect")));
  if (!expects.ok()) return expects.status().WithContext(name);
  c.expects = std::move(*expects);
  PL_RETURN_IF_ERROR(
      golden::CheckNames(c.expects, c.doc.config).WithContext(name));
  return c;
}

WallTime Now() { return *cib::ParseTimestamp(kNow); }

Result<TransitionGraph> ScheduleCase(const Case& c) {
  Snapshot snapshot;
  snapshot.config = c.doc.config;
  snapshot.status = c.doc.status;
  snapshot.quorate = c.quorate;
  return Schedule(snapshot, {.record_scores = true}, Now());
}

// PACELINE_GOLDEN_SHOW=1 prints every case's graph, not only failing ones.
bool ShowMode() {
  const char* v = std::getenv("PACELINE_GOLDEN_SHOW");
  return v != nullptr && std::string(v) == "1";
}

// Every failed expect line, or the reason the case could not be scheduled.
std::vector<std::string> ExpectFailures(const Case& c, std::string* detail) {
  Result<TransitionGraph> graph = ScheduleCase(c);
  if (!graph.ok()) {
    return {"Schedule failed: " + graph.status().message()};
  }
  std::vector<std::string> failures = golden::CheckGraph(c.expects, *graph);
  if ((!failures.empty() || ShowMode()) && detail != nullptr) {
    *detail = golden::DescribeGraph(*graph);
  }
  return failures;
}

struct Outputs {
  std::string summary;
  std::string scores;
  std::string dot;
};

// Runs `paceline simulate` on a copy of the case's cib.yaml (the command
// must never touch the source tree) and replaces the copy's temporary path
// in the outputs so they are byte-stable.
Result<Outputs> Simulate(const Case& c) {
  TempDir tmp;
  const std::string cib = tmp.File("cib.yaml");
  const std::string dot = tmp.File("graph.dot");
  WriteFile(cib, c.cib_text);
  std::vector<std::string> base = {"simulate", "--cib", cib};
  if (!c.quorate) base.push_back("--quorum=false");
  auto normalise = [&](std::string s) {
    for (size_t at; (at = s.find(tmp.path())) != std::string::npos;) {
      s.replace(at, tmp.path().size(), "CASE");
    }
    return s;
  };
  testing::RunResult plain = RunCommand("paceline", base);
  if (plain.exit_code != 0) {
    return Status::Invalid("paceline simulate exited " +
                           std::to_string(plain.exit_code) + ": " + plain.err);
  }
  std::vector<std::string> with_scores = base;
  with_scores.insert(with_scores.end(), {"--scores", "--dot", dot});
  testing::RunResult scored = RunCommand("paceline", with_scores);
  if (scored.exit_code != 0) {
    return Status::Invalid("paceline simulate --scores --dot exited " +
                           std::to_string(scored.exit_code) + ": " +
                           scored.err);
  }
  return Outputs{normalise(plain.out), normalise(scored.out),
                 normalise(ReadFile(dot))};
}

// A short report of where two texts first differ.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = static_cast<bool>(std::getline(a, la));
    bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "texts differ only in line endings";
    if (!ha || !hb || la != lb) {
      return "line " + std::to_string(line) +
             ":\n  blessed: " + (ha ? la : "<end>") +
             "\n  now:     " + (hb ? lb : "<end>");
    }
  }
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, Expect) {
  Result<Case> c = LoadCase(GetParam());
  ASSERT_TRUE(c.ok()) << c.status().message();
  std::string detail;
  std::vector<std::string> failures = ExpectFailures(*c, &detail);
  for (const std::string& f : failures) ADD_FAILURE() << f;
  if (!detail.empty()) {
    std::cout << "--- " << c->name << ": "
              << Trim(ReadFile(c->File("description"))) << "\n"
              << detail;
  }
}

TEST_P(GoldenCase, Blessed) {
  Result<Case> c = LoadCase(GetParam());
  ASSERT_TRUE(c.ok()) << c.status().message();
  Result<Outputs> out = Simulate(*c);
  ASSERT_TRUE(out.ok()) << out.status().message();
  const std::map<std::string, const std::string*> files = {
      {"summary", &out->summary},
      {"scores", &out->scores},
      {"graph.dot", &out->dot}};
  if (UpdateMode()) {
    std::vector<std::string> failures = ExpectFailures(*c, nullptr);
    ASSERT_TRUE(failures.empty())
        << "not blessed: " << failures.size()
        << " expect line(s) fail, first: " << failures.front();
    for (const auto& [name, text] : files) WriteFile(c->File(name), *text);
    return;
  }
  for (const auto& [name, text] : files) {
    if (!fs::exists(c->File(name))) {
      ADD_FAILURE() << c->name << "/" << name
                    << " is not blessed yet; review the output, then run "
                       "tests/policy/run-cases --update "
                    << c->name;
      continue;
    }
    std::string blessed = ReadFile(c->File(name));
    EXPECT_TRUE(blessed == *text)
        << c->name << "/" << name << " differs from the blessed file at "
        << FirstDifference(blessed, *text)
        << "\n(re-bless with tests/policy/run-cases --update " << c->name
        << " once the new output is reviewed)";
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(),
      [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCase, ::testing::ValuesIn(CaseNames()),
                         TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenCase);

// The suite itself: enough cases, and every case directory complete.
TEST(GoldenSuite, HasTheCasesTheIssueAsksFor) {
  std::vector<std::string> names = CaseNames();
  EXPECT_GE(names.size(), 80u);
  for (const std::string& n : names) {
    for (const char* f : {"description", "cib.yaml", "expect"}) {
      EXPECT_TRUE(fs::exists(std::string(kCasesDir) + "/" + n + "/" + f))
          << n << " has no " << f;
    }
  }
}

}  // namespace
}  // namespace paceline::policy
