// The talk's "Let's Break Stuff", end to end, with real daemons and real
// agents (issue 7): two nodes, each `paceline daemon` in its own network
// and mount namespace (tests/cluster/talk_cluster.h), configured with the
// talk's crm commands, then standby/online, migrate there and back,
// unmigrate, a killed secondary, a killed primary and its return. At every
// step the test checks `crm status --output-as=json` (on every poll: no
// primitive active on two nodes, at most one promoted instance), the real
// effects in the nodes' namespaces (VIP, xfs mount, postmaster), the order
// of the actions in the daemons' logs, and clients through the VIP
// (psql, pgbench) from a third namespace.
//
// Stand-ins, as the issue allows: ocf:pacemaker:Stateful for DRBD (no
// kernel module here), ocf:pacemaker:Dummy for LVM (no device-mapper). The
// file system (xfs on a loop device, the shared "SAN"), PostgreSQL 15 and
// the VIP are real.
//
// Why pg_lsb is ocf:heartbeat:pgsql and not the talk's lsb:postgresql:
// Debian's init script starts, stops and reports on *every* cluster under
// /etc/postgresql of the host, whatever the resource is. With two nodes on
// one host both nodes' scripts would act on the same cluster list (and on
// the machine's own clusters), so "stopped" on the passive node could not
// be told apart from "running" on the active one. pgsql takes the data
// directory, port and socket directory as parameters, so each node acts
// only on the instance on the SAN, through its own /run/postgresql.
//
// Needs root (namespaces, mounts, loop devices); skipped otherwise.
// Prints each step's timings.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <regex>

#include "tests/cluster/talk_cluster.h"

namespace paceline::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

// The talk's commands (PostgreSQL Open 2012), as typed there. Changed:
// drbd and LVM are stand-ins (their parameters go: Stateful and Dummy have
// none of theirs); the device, mount point, VIP and PostgreSQL parameters
// are this host's. `IPAddr2` stays as the talk spells it: the agent on disk
// is IPaddr2, and OCF types resolve case-insensitively when unambiguous.
constexpr const char* kTalkCommands = R"(
crm configure property stonith-enabled="false"
crm configure property no-quorum-policy="ignore"
crm configure property default-resource-stickiness="100"
crm configure primitive drbd_pg ocf:pacemaker:Stateful \
  op monitor interval="15" \
  op start interval="0" timeout="240" \
  op stop interval="0" timeout="120"
crm configure ms ms_drbd_pg drbd_pg \
  meta master-max="1" master-node-max="1" clone-max="2" \
  clone-node-max="1" notify="true"
crm configure primitive pg_lvm ocf:pacemaker:Dummy \
  op start interval="0" timeout="30" \
  op stop interval="0" timeout="30"
crm configure primitive pg_fs ocf:heartbeat:Filesystem \
  params device="@DEVICE@" directory="@DATADIR@" \
    options="noatime,nodiratime" fstype="xfs" \
  op start interval="0" timeout="60" \
  op stop interval="0" timeout="120"
crm configure primitive pg_lsb ocf:heartbeat:pgsql \
  params pgctl="@PGBIN@/pg_ctl" psql="@PGBIN@/psql" pgdata="@DATADIR@" \
    pgport="@PGPORT@" socketdir="/run/postgresql" logfile="@PGLOG@" \
  op monitor interval="30" timeout="60" \
  op start interval="0" timeout="60" \
  op stop interval="0" timeout="60"
crm configure primitive pg_vip ocf:heartbeat:IPAddr2 \
  params ip="@VIP@" iflabel="pgvip" \
  op monitor interval="5"
crm configure group PGServer pg_lvm pg_fs pg_lsb pg_vip
crm configure colocation col_pg_drbd inf: PGServer \
  ms_drbd_pg:Master
crm configure order ord_pg inf: ms_drbd_pg:promote \
PGServer:start
)";

const std::vector<std::string> kGroup = {"pg_lvm", "pg_fs", "pg_lsb", "pg_vip"};

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  for (size_t at; (at = s.find(from)) != std::string::npos;) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// One poll of `crm status --output-as=json`.
struct Observation {
  bool ok = false;
  std::set<std::string> members;
  // primitive id -> (node -> role) of the active instances.
  std::map<std::string, std::map<std::string, std::string>> active;
  std::vector<std::string> failures;
  std::vector<std::string> violations;  // double activity
  std::string text;
};

Observation Observe(const TalkCluster& c, int from) {
  Observation o;
  auto st = c.Status(from);
  if (!st) return o;
  o.ok = true;
  o.text = json::serialize(*st);
  for (const auto& m : st->at("membership").at("members").as_array()) {
    o.members.insert(std::string(m.at("name").as_string()));
  }
  std::map<std::string, std::string> instance_node;
  int promoted = 0;
  for (const json::value& v : st->at("resources").as_array()) {
    const json::object& r = v.as_object();
    if (r.at("node").is_null()) continue;
    std::string id(r.at("id").as_string());
    std::string inst(r.at("instance").as_string());
    std::string node(r.at("node").as_string());
    std::string role(r.at("role").as_string());
    bool clone_child = !r.at("parent").is_null();
    if (role == "Promoted") ++promoted;
    // An anonymous clone's instances may all carry the primitive's id; a
    // numbered instance ("drbd_pg:0") is one and must be on one node.
    bool numbered = inst.find(':') != std::string::npos;
    if ((numbered || !clone_child) && instance_node.count(inst) &&
        instance_node[inst] != node) {
      o.violations.push_back(inst + " active on " + instance_node[inst] +
                             " and " + node);
    }
    instance_node[inst] = node;
    if (o.active[id].count(node)) {  // clone-node-max=1, or a duplicate
      o.violations.push_back(id + " has two instances on " + node);
    }
    o.active[id][node] = role;
  }
  if (promoted > 1) o.violations.push_back("more than one Promoted instance");
  for (const auto& f : st->at("failures").as_array()) {
    o.failures.push_back(json::serialize(f));
  }
  return o;
}

// The placement a step should end in: drbd promoted on `primary` and
// unpromoted on `secondary` (0: none), the whole group on the primary,
// exactly the nodes `up` in the membership.
struct Want {
  int primary = 0;
  int secondary = 0;
  std::set<int> up;
};

bool Matches(const Observation& o, const Want& w) {
  std::set<std::string> up;
  for (int i : w.up) up.insert(TalkCluster::Name(i));
  if (!o.ok || o.members != up) return false;
  std::map<std::string, std::string> drbd;
  if (o.active.count("drbd_pg")) drbd = o.active.at("drbd_pg");
  std::map<std::string, std::string> want_drbd = {
      {TalkCluster::Name(w.primary), "Promoted"}};
  if (w.secondary) want_drbd[TalkCluster::Name(w.secondary)] = "Unpromoted";
  if (drbd != want_drbd) return false;
  for (const auto& id : kGroup) {
    std::map<std::string, std::string> want = {
        {TalkCluster::Name(w.primary), "Started"}};
    if (!o.active.count(id) || o.active.at(id) != want) return false;
  }
  return o.active.size() == kGroup.size() + 1;
}

// An action the DC dispatched, from the daemons' logs.
struct LoggedAction {
  std::string time;  // UTC with microseconds, sorts as text
  std::string primitive;
  std::string task;
  std::string node;
};

class TalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, mounts)";
    ASSERT_TRUE(std::filesystem::exists(std::string(kPgBin) + "/initdb"))
        << "PostgreSQL 15 is not installed (scripts/setup-deps --test)";
    cluster_ = std::make_unique<TalkCluster>();
    ASSERT_TRUE(cluster_->ok()) << cluster_->error();
  }
  void TearDown() override {
    if (HasFailure() && cluster_) {
      for (int i = 1; i <= TalkCluster::kNodes; ++i) {
        std::string log = cluster_->Log(i);
        if (log.size() > 12000) log = "..." + log.substr(log.size() - 12000);
        std::printf("---- %s daemon log (tail) ----\n%s\n",
                    TalkCluster::Name(i).c_str(), log.c_str());
      }
      std::printf("---- postgres log ----\n%s\n",
                  ReadFile(cluster_->PgLog()).c_str());
    }
    cluster_.reset();  // every process, mount, namespace, loop device
    std::printf("---- talk step timings ----\n");
    for (const auto& [name, ms] : timings_) {
      std::printf("%-58s %7lld ms\n", name.c_str(), ms);
    }
  }

  TalkCluster& c() { return *cluster_; }

  void Record(const std::string& name, Clock::time_point since) {
    long long ms =
        std::chrono::duration_cast<milliseconds>(Clock::now() - since).count();
    timings_.emplace_back(name, ms);
    std::printf("[talk] %-58s %7lld ms\n", name.c_str(), ms);
    std::fflush(stdout);
  }

  // Polls node `from` until the placement is `want` (every poll checked
  // for double activity); false after `limit`.
  bool WaitFor(int from, const Want& want, milliseconds limit) {
    auto end = Clock::now() + limit;
    do {
      Observation o = Poll(from);
      if (Matches(o, want)) {
        EXPECT_TRUE(o.failures.empty()) << o.text;
        return true;
      }
      std::this_thread::sleep_for(milliseconds(100));
    } while (Clock::now() < end);
    ADD_FAILURE() << "not settled on primary " << want.primary << ", secondary "
                  << want.secondary << " within " << limit.count()
                  << " ms; node " << from << " last said: " << last_.text;
    return false;
  }
  // Polls node `from` for `span`: the placement must stay `want`.
  void Hold(int from, const Want& want, milliseconds span) {
    auto end = Clock::now() + span;
    while (Clock::now() < end) {
      Observation o = Poll(from);
      if (!Matches(o, want)) {
        ADD_FAILURE() << "placement changed: " << o.text;
        return;
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
  }
  Observation Poll(int from) {
    Observation o = Observe(c(), from);
    for (const auto& v : o.violations) ADD_FAILURE() << v << ": " << o.text;
    last_ = o;
    return o;
  }

  // Log positions, to read what the DC dispatched after a point.
  std::vector<size_t> Mark() {
    std::vector<size_t> at;
    for (int i = 1; i <= TalkCluster::kNodes; ++i) {
      at.push_back(c().Log(i).size());
    }
    return at;
  }
  std::vector<LoggedAction> ActionsSince(const std::vector<size_t>& mark) {
    static const std::regex line(
        R"(^(\S+) paceline\[[^\]]+\]: transition \d+: (\S+)_(start|stop|promote|demote)_0 (\S+)$)");
    std::vector<LoggedAction> out;
    for (int i = 1; i <= TalkCluster::kNodes; ++i) {
      std::istringstream in(c().Log(i).substr(mark[i - 1]));
      std::smatch m;
      for (std::string l; std::getline(in, l);) {
        if (!std::regex_match(l, m, line)) continue;
        std::string rsc = m[2];
        if (rsc.find("_notify") != std::string::npos) continue;
        out.push_back({m[1], rsc.substr(0, rsc.find(':')), m[3], m[4]});
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.time < b.time;
    });
    return out;
  }
  static std::string Describe(const std::vector<LoggedAction>& actions) {
    std::string s;
    for (const auto& a : actions) {
      s += "  " + a.time + " " + a.primitive + " " + a.task + " " + a.node +
           "\n";
    }
    return s;
  }
  // `steps` ("primitive task node") appear in this order among `actions`.
  void ExpectOrder(const std::vector<LoggedAction>& actions,
                   const std::vector<std::string>& steps) {
    size_t pos = 0;
    for (const auto& step : steps) {
      bool found = false;
      for (; pos < actions.size() && !found; ++pos) {
        const auto& a = actions[pos];
        found = a.primitive + " " + a.task + " " + a.node == step;
      }
      if (!found) {
        ADD_FAILURE() << "expected, in order: " << step << " (after the "
                      << "ones before it); dispatched:\n"
                      << Describe(actions);
        return;
      }
    }
  }
  // Group stop on `from` (reverse order), demote there, promote on `to`,
  // group start on `to` (in order); `from` 0: start only.
  void ExpectMoveOrder(const std::vector<LoggedAction>& actions, int from,
                       int to) {
    std::vector<std::string> steps;
    if (from) {
      for (auto it = kGroup.rbegin(); it != kGroup.rend(); ++it) {
        steps.push_back(*it + " stop " + TalkCluster::Name(from));
      }
      steps.push_back("drbd_pg demote " + TalkCluster::Name(from));
    }
    steps.push_back("drbd_pg promote " + TalkCluster::Name(to));
    for (const auto& id : kGroup) {
      steps.push_back(id + " start " + TalkCluster::Name(to));
    }
    ExpectOrder(actions, steps);
  }
  // No start/stop/promote/demote of anything but `allowed` (a rejoining
  // node's drbd start) since the mark.
  void ExpectNothingMoved(const std::vector<LoggedAction>& actions,
                          const std::string& allowed = "") {
    for (const auto& a : actions) {
      std::string s = a.primitive + " " + a.task + " " + a.node;
      EXPECT_EQ(s, allowed) << "unexpected action; dispatched:\n"
                            << Describe(actions);
    }
  }

  // The VIP, the mount and the postmaster are on `holder`, not elsewhere.
  void ExpectEffectsOn(int holder) {
    for (int i = 1; i <= TalkCluster::kNodes; ++i) {
      bool here = i == holder;
      EXPECT_EQ(c().HasVip(i), here) << "VIP on " << TalkCluster::Name(i);
      EXPECT_EQ(c().HasMount(i), here) << "xfs on " << TalkCluster::Name(i);
      EXPECT_EQ(c().HasPostmaster(i), here)
          << "postmaster on " << TalkCluster::Name(i);
    }
  }

  // A short pgbench through the VIP: every transaction succeeds.
  void Bench(const std::string& step) {
    auto t0 = Clock::now();
    ShellResult r = c().Pgbench("-n -c 2 -j 2 -T 2");
    EXPECT_EQ(r.exit_code, 0) << step << ": " << r.output;
    EXPECT_NE(r.output.find("number of failed transactions: 0 "),
              std::string::npos)
        << step << ": " << r.output;
    std::smatch m;
    if (std::regex_search(r.output, m, std::regex(R"(tps = ([0-9.]+))"))) {
      std::printf("[talk] %s: pgbench %s tps\n", step.c_str(),
                  m[1].str().c_str());
    }
    Record(step + ": pgbench -T 2 through the VIP", t0);
  }
  // Adds marker row `step` and checks every earlier one is there.
  void Marker(int step) {
    ShellResult ins =
        c().Psql("insert into talk_marker values (" + std::to_string(step) +
                 ", 'committed in step " + std::to_string(step) + "')");
    EXPECT_EQ(ins.exit_code, 0) << ins.output;
    ShellResult sel = c().Psql(
        "select string_agg(step::text, ',' order by "
        "step) from talk_marker");
    std::string want;
    for (int i = 1; i <= step; ++i)
      want += (i > 1 ? "," : "") + std::to_string(i);
    EXPECT_EQ(sel.output, want + "\n") << "marker rows after step " << step;
  }
  // Time until psql through the VIP answers (bounded).
  bool WaitForClient(milliseconds limit) {
    auto end = Clock::now() + limit;
    do {
      if (c().Psql("select 1").output == "1\n") return true;
      std::this_thread::sleep_for(milliseconds(100));
    } while (Clock::now() < end);
    return false;
  }

  void StartBothNodes();
  void Configure();
  void Step1Start();
  void Step2Standby();
  void Step3Migrate();
  void Step4KillSecondary();
  void Step5KillPrimary();
  void Step6PrimaryReturns();

  std::unique_ptr<TalkCluster> cluster_;
  std::vector<std::pair<std::string, long long>> timings_;
  Observation last_;
  int primary_ = 0, secondary_ = 0;
};

void TalkTest::StartBothNodes() {
  auto t0 = Clock::now();
  ASSERT_TRUE(c().Start(1));
  ASSERT_TRUE(c().Start(2));
  std::set<std::string> both = {TalkCluster::Name(1), TalkCluster::Name(2)};
  auto end = Clock::now() + seconds(15);
  bool joined = false;
  while (!joined && Clock::now() < end) {
    Observation a = Observe(c(), 1), b = Observe(c(), 2);
    joined = a.members == both && b.members == both;
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(joined) << c().Log(1) << "\n" << c().Log(2);
  Record("0. both daemons up, one view", t0);
}

// The talk's commands, verbatim, on a shadow CIB file (CIB_file=), then
// loaded into the running cluster in one commit. Run one by one against
// the live cluster, each primitive would start on its own before the group
// and constraints exist (pg_fs on one node, pgsql failing on the other):
// a crmsh user stages the same way with a shadow CIB.
void TalkTest::Configure() {
  std::string text = kTalkCommands;
  text = Replace(text, "@DEVICE@", c().Device());
  text = Replace(text, "@DATADIR@", c().DataDir());
  text = Replace(text, "@PGBIN@", kPgBin);
  text = Replace(text, "@PGPORT@", std::to_string(kPgPort));
  text = Replace(text, "@PGLOG@", c().PgLog());
  text = Replace(text, "@VIP@", kVip);
  std::string shadow = c().Dir() + "/shadow.yaml";
  for (auto words : ShellCommands(text)) {
    ASSERT_EQ(words.front(), "crm");
    words.erase(words.begin());
    RunResult r = c().CrmOffline(shadow, words);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult show = c().CrmOffline(shadow, {"configure", "show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::string crm_text = c().Dir() + "/talk.crm";
  WriteFile(crm_text, show.out);
  auto t0 = Clock::now();
  RunResult load = c().Crm(1, {"configure", "load", "update", crm_text});
  ASSERT_EQ(load.exit_code, 0) << load.err << "\n" << show.out;
  Record("1. configure load update (online commit)", t0);
}

void TalkTest::Step1Start() {
  auto mark = Mark();
  auto t0 = Clock::now();
  ASSERT_NO_FATAL_FAILURE(Configure());
  // Both nodes are equal; the scheduler picks the primary.
  auto end = Clock::now() + seconds(40);
  while (!primary_ && Clock::now() < end) {
    Observation o = Poll(1);
    for (int p : {1, 2}) {
      if (Matches(o, {p, 3 - p, {1, 2}})) primary_ = p;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_NE(primary_, 0) << "the stack did not start: " << last_.text;
  secondary_ = 3 - primary_;
  EXPECT_TRUE(last_.failures.empty()) << last_.text;
  Record("1. all started, PGServer on " + TalkCluster::Name(primary_), t0);
  ExpectMoveOrder(ActionsSince(mark), 0, primary_);
  ExpectEffectsOn(primary_);
  ASSERT_TRUE(WaitForClient(seconds(10))) << "no PostgreSQL through the VIP";
  auto t1 = Clock::now();
  ShellResult init = c().Pgbench("-i -s 1 -q");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  Record("1. pgbench -i -s 1 through the VIP", t1);
  ShellResult table =
      c().Psql("create table talk_marker (step int primary key, note text)");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  Marker(1);
  Bench("1");
}

void TalkTest::Step2Standby() {
  std::string s = TalkCluster::Name(secondary_);
  auto mark = Mark();
  auto t0 = Clock::now();
  RunResult r = c().Crm(primary_, {"node", "standby", s});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The standby node's drbd instance stops; PGServer stays where it is.
  ASSERT_TRUE(WaitFor(primary_, {primary_, 0, {1, 2}}, seconds(15)));
  Record("2. crm node standby " + s + ": its drbd stopped", t0);
  ExpectNothingMoved(ActionsSince(mark), "drbd_pg stop " + s);
  auto st = c().Status(primary_);
  ASSERT_TRUE(st);
  for (const auto& n : st->at("nodes").as_array()) {
    EXPECT_EQ(n.at("standby").as_bool(), n.at("name").as_string() == s)
        << json::serialize(n);
  }
  mark = Mark();
  t0 = Clock::now();
  r = c().Crm(primary_, {"node", "online", s});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitFor(primary_, {primary_, secondary_, {1, 2}}, seconds(15)));
  Record("2. crm node online " + s + ": drbd Unpromoted there", t0);
  ExpectNothingMoved(ActionsSince(mark), "drbd_pg start " + s);
  ExpectEffectsOn(primary_);
  Marker(2);
}

void TalkTest::Step3Migrate() {
  for (auto [from, to] :
       {std::pair{primary_, secondary_}, std::pair{secondary_, primary_}}) {
    std::string target = TalkCluster::Name(to);
    auto mark = Mark();
    auto t0 = Clock::now();
    RunResult r = c().Crm(from, {"resource", "migrate", "PGServer", target});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(WaitFor(from, {to, from, {1, 2}}, seconds(30)));
    Record("3. crm resource migrate PGServer " + target, t0);
    ExpectMoveOrder(ActionsSince(mark), from, to);
    ExpectEffectsOn(to);
    auto t1 = Clock::now();
    EXPECT_TRUE(WaitForClient(seconds(10))) << "no client after the move";
    Record("3. client through the VIP after the move", t1);
  }
  Marker(3);
  auto mark = Mark();
  auto t0 = Clock::now();
  RunResult r = c().Crm(secondary_, {"resource", "unmigrate", "PGServer"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Record("3. crm resource unmigrate PGServer (command)", t0);
  // Stickiness keeps the group where the last migrate put it.
  Hold(secondary_, {primary_, secondary_, {1, 2}}, seconds(3));
  ExpectNothingMoved(ActionsSince(mark));
  ExpectEffectsOn(primary_);
  Bench("3");
}

void TalkTest::Step4KillSecondary() {
  auto mark = Mark();
  auto t0 = Clock::now();
  ASSERT_TRUE(c().KillNode(secondary_));
  ASSERT_TRUE(WaitFor(primary_, {primary_, 0, {primary_}}, seconds(10)));
  Record("4. secondary killed: gone from the view", t0);
  ExpectNothingMoved(ActionsSince(mark));
  ExpectEffectsOn(primary_);
  Marker(4);
  mark = Mark();
  t0 = Clock::now();
  ASSERT_TRUE(c().Start(secondary_));
  ASSERT_TRUE(WaitFor(primary_, {primary_, secondary_, {1, 2}}, seconds(20)));
  Record("4. secondary restarted: rejoined as Unpromoted", t0);
  ExpectNothingMoved(ActionsSince(mark),
                     "drbd_pg start " + TalkCluster::Name(secondary_));
  ExpectEffectsOn(primary_);
}

void TalkTest::Step5KillPrimary() {
  ShellResult history = c().Psql("select count(*) from pgbench_history");
  ASSERT_EQ(history.exit_code, 0) << history.output;
  auto mark = Mark();
  auto t0 = Clock::now();
  ASSERT_TRUE(c().KillNode(primary_));
  ASSERT_TRUE(WaitFor(secondary_, {secondary_, 0, {secondary_}}, seconds(30)));
  Record("5. primary killed: stack started on the survivor", t0);
  EXPECT_TRUE(WaitForClient(seconds(10))) << "no client after the failover";
  Record("5. primary killed: client through the VIP again", t0);
  ExpectMoveOrder(ActionsSince(mark), 0, secondary_);
  ExpectEffectsOn(secondary_);
  // Everything committed before the kill survived it.
  EXPECT_EQ(c().Psql("select count(*) from pgbench_history").output,
            history.output);
  Marker(5);
  Bench("5");
}

void TalkTest::Step6PrimaryReturns() {
  auto mark = Mark();
  auto t0 = Clock::now();
  ASSERT_TRUE(c().Start(primary_));
  ASSERT_TRUE(WaitFor(secondary_, {secondary_, primary_, {1, 2}}, seconds(20)));
  Record("6. old primary restarted: rejoined as Unpromoted", t0);
  Hold(primary_, {secondary_, primary_, {1, 2}}, seconds(3));
  ExpectNothingMoved(ActionsSince(mark),
                     "drbd_pg start " + TalkCluster::Name(primary_));
  ExpectEffectsOn(secondary_);
  ShellResult sel = c().Psql("select count(*) from talk_marker");
  EXPECT_EQ(sel.output, "5\n") << sel.output;
}

TEST_F(TalkTest, LetsBreakStuff) {
  auto t0 = Clock::now();
  ASSERT_NO_FATAL_FAILURE(StartBothNodes());
  ASSERT_NO_FATAL_FAILURE(Step1Start());
  ASSERT_NO_FATAL_FAILURE(Step2Standby());
  ASSERT_NO_FATAL_FAILURE(Step3Migrate());
  ASSERT_NO_FATAL_FAILURE(Step4KillSecondary());
  ASSERT_NO_FATAL_FAILURE(Step5KillPrimary());
  ASSERT_NO_FATAL_FAILURE(Step6PrimaryReturns());
  Record("total", t0);
}

}  // namespace
}  // namespace paceline::testing
