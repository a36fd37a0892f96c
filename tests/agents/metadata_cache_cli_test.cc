// Meta-data in the commands that need it: the cache file, `crm configure
// primitive`'s parameter warnings, `agent exec`'s default timeout from the
// agent's advice, and `crm ra info`'s defaults. Every command here gets a
// private PACELINE_CACHE_DIR.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "agents/metadata_cache.h"
#include "tests/cli/run_util.h"

namespace paceline::testing {
namespace {

using agents::AgentStamp;

TEST(MetadataCacheTest, EntryRoundTripsOnlyForTheSameFileVersion) {
  AgentStamp stamp{"/usr/lib/ocf/resource.d/heartbeat/IPaddr2", 1234, 99};
  std::string text = agents::EncodeCacheEntry(stamp, "<xml/>\n");
  EXPECT_EQ(agents::DecodeCacheEntry(text, stamp), "<xml/>\n");
  AgentStamp newer = stamp;
  newer.mtime_ns = 100;
  EXPECT_EQ(agents::DecodeCacheEntry(text, newer), std::nullopt);
  AgentStamp bigger = stamp;
  bigger.size = 1235;
  EXPECT_EQ(agents::DecodeCacheEntry(text, bigger), std::nullopt);
  AgentStamp elsewhere = stamp;
  elsewhere.path += "2";
  EXPECT_EQ(agents::DecodeCacheEntry(text, elsewhere), std::nullopt);
  EXPECT_EQ(agents::DecodeCacheEntry("garbage", stamp), std::nullopt);
  EXPECT_EQ(agents::DecodeCacheEntry("", stamp), std::nullopt);
}

TEST(MetadataCacheTest, StoreLookupAndDisabled) {
  TempDir tmp;
  std::string agent = tmp.File("agent");
  std::ofstream(agent) << "#!/bin/sh\n";
  auto stamp = agents::StampOf(agent);
  ASSERT_TRUE(stamp.ok());
  agents::MetadataCache cache(tmp.File("cache"));
  EXPECT_EQ(cache.Lookup("ocf:t:a", *stamp), std::nullopt);
  ASSERT_TRUE(cache.Store("ocf:t:a", *stamp, "<x/>").ok());
  EXPECT_EQ(cache.Lookup("ocf:t:a", *stamp), "<x/>");
  struct stat st;
  ASSERT_EQ(stat(cache.EntryPath("ocf:t:a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  // The agent changes: the entry no longer applies.
  std::ofstream(agent, std::ios::app) << "exit 0\n";
  auto changed = agents::StampOf(agent);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(cache.Lookup("ocf:t:a", *changed), std::nullopt);
  EXPECT_FALSE(agents::StampOf(tmp.File("missing")).ok());
  agents::MetadataCache off("");
  EXPECT_TRUE(off.Store("ocf:t:a", *stamp, "<x/>").ok());
  EXPECT_EQ(off.Lookup("ocf:t:a", *stamp), std::nullopt);
}

class MetadataCliTest : public ::testing::Test {
 protected:
  RunResult Crm(std::vector<std::string> args) {
    args.insert(args.begin(), {"--cib", tmp_.File("cib.yaml")});
    return RunCommand("crm", args, Env());
  }
  std::map<std::string, std::string> Env() {
    return {{"PACELINE_CACHE_DIR", tmp_.File("cache")}};
  }
  TempDir tmp_;
};

TEST_F(MetadataCliTest, ConfigurePrimitiveWarnsAboutParamsAndStillStores) {
  RunResult r = Crm({"configure", "primitive", "vip", "ocf:heartbeat:IPaddr2",
                     "params", "nic=lo", "netmsk=24"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "WARNING: primitive 'vip': missing required parameter 'ip' of "
            "IPaddr2\n"
            "WARNING: primitive 'vip': unknown parameter 'netmsk' for "
            "IPaddr2\n");
  EXPECT_NE(Crm({"configure", "show"}).out.find("primitive vip"),
            std::string::npos);
  // The meta-data was cached on the way.
  std::string entry = tmp_.File("cache/metadata/ocf:heartbeat:IPaddr2.xml");
  ASSERT_TRUE(std::filesystem::exists(entry));
  // A fitting primitive says nothing.
  r = Crm({"configure", "primitive", "vip2", "ocf:heartbeat:IPaddr2", "params",
           "ip=198.51.100.9"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  // A refused command prints its ERROR only, not the warnings.
  r = Crm({"configure", "primitive", "vip", "ocf:heartbeat:IPaddr2", "params",
           "netmsk=24"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("WARNING"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("ERROR: ", 0), 0u) << r.err;
  // Agents that are not installed (the talk's IPAddr2 spelling) are left to
  // verify.
  r = Crm({"configure", "primitive", "pg_vip", "ocf:heartbeat:IPAddr2",
           "params", "ip=192.168.56.30"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

// crmsh's timeout check: at configure time against the op's own timeout,
// in verify also against op_defaults.
TEST_F(MetadataCliTest, OpTimeoutsBelowTheAgentsAdviceWarn) {
  RunResult r = Crm({"configure", "primitive", "drbd_pg", "ocf:linbit:drbd",
                     "params", "drbd_resource=pg", "op", "start", "interval=0",
                     "timeout=30", "op", "stop", "interval=0", "timeout=120"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err,
            "WARNING: primitive 'drbd_pg': op start: timeout 30s is smaller "
            "than the 240s the agent advises\n");
  ASSERT_EQ(Crm({"configure", "op_defaults", "timeout=15s"}).exit_code, 0);
  r = Crm({"configure", "verify"});
  EXPECT_EQ(r.exit_code, 0) << "warnings only";
  EXPECT_NE(r.err.find("WARNING: primitive 'drbd_pg': op start: timeout 30s "
                       "is smaller than the 240s the agent advises\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("op stop"), std::string::npos) << r.err;
}

// The warning comes from the cache entry when the agent file is unchanged:
// a planted entry for the very same file version is believed.
TEST_F(MetadataCliTest, WarningsComeFromTheCacheWhenTheAgentIsUnchanged) {
  std::string path = "/usr/lib/ocf/resource.d/pacemaker/Dummy";
  auto stamp = agents::StampOf(path);
  ASSERT_TRUE(stamp.ok());
  agents::MetadataCache cache(tmp_.File("cache"));
  ASSERT_TRUE(cache
                  .Store("ocf:pacemaker:Dummy", *stamp,
                         "<resource-agent name=\"Dummy\"><parameters>"
                         "<parameter name=\"planted\" required=\"1\"/>"
                         "</parameters></resource-agent>")
                  .ok());
  RunResult r = Crm({"configure", "primitive", "d", "ocf:pacemaker:Dummy"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err,
            "WARNING: primitive 'd': missing required parameter 'planted' of "
            "Dummy\n");
  // An entry for another version of the file is ignored and replaced.
  AgentStamp old = *stamp;
  old.mtime_ns -= 1;
  ASSERT_TRUE(cache
                  .Store("ocf:pacemaker:Dummy", old,
                         "<resource-agent name=\"Dummy\"><parameters>"
                         "<parameter name=\"planted\" required=\"1\"/>"
                         "</parameters></resource-agent>")
                  .ok());
  r = Crm({"configure", "primitive", "d2", "ocf:pacemaker:Dummy"});
  EXPECT_EQ(r.err, "");
  EXPECT_NE(cache.Lookup("ocf:pacemaker:Dummy", *stamp), std::nullopt);
}

// Without --timeout, agent exec uses the agent's advised timeout; the cache
// follows the agent file when it changes.
TEST_F(MetadataCliTest, AgentExecDefaultTimeoutComesFromMetaData) {
  std::string root = tmp_.File("ocf");
  std::filesystem::create_directories(root + "/resource.d/test");
  std::string agent = root + "/resource.d/test/slow";
  auto write_agent = [&](const std::string& advised, int sleep_s) {
    std::ofstream(agent) << "#!/bin/sh\ncase $1 in\nmeta-data) cat <<END\n"
                            "<resource-agent name=\"slow\"><actions>\n"
                            "<action name=\"start\" timeout=\""
                         << advised
                         << "\"/>\n</actions></resource-agent>\nEND\n;;\n"
                            "start) sleep "
                         << sleep_s << " ;;\nesac\nexit 0\n";
    chmod(agent.c_str(), 0755);
  };
  auto exec = [&] {
    return RunCommand("paceline",
                      {"agent", "exec", "ocf:test:slow", "start", "--ocf-root",
                       root, "--run-dir", tmp_.File("run")},
                      Env());
  };
  write_agent("1s", 3);
  auto t0 = std::chrono::steady_clock::now();
  RunResult r = exec();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rc=1 (timed out)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("timed out after 1000 ms"), std::string::npos) << r.err;
  EXPECT_LT(ms, 2900) << "the 3 s sleep ran to its end";
  // New agent version (another size), advising more than it needs.
  write_agent("30s", 1);
  r = exec();
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(MetadataCliTest, CrmRaInfoShowsDefaultsAndAdvisedTimeouts) {
  RunResult r =
      RunCommand("crm", {"ra", "info", "ocf:heartbeat:IPaddr2"}, Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\narp_count (integer, default 5): "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n    start         timeout=20s\n"), std::string::npos)
      << r.out;
  // The second call is served from the cache and says the same.
  RunResult again =
      RunCommand("crm", {"ra", "info", "ocf:heartbeat:IPaddr2"}, Env());
  EXPECT_EQ(again.out, r.out);
}

}  // namespace
}  // namespace paceline::testing
