// PostgreSQL 15 for real, as the talk's stack runs it: ocf:heartbeat:pgsql
// (rep_mode none) with its data directory on a loop-mounted xfs that the
// Filesystem agent mounted, and Debian's lsb:postgresql init script with a
// private cluster. Both run inside a simulated node's private mount
// namespace; pgbench proves clients really get through.
//
// Private everything: a free port, a socket directory in the temp dir, and
// for lsb:postgresql a private /etc/postgresql (a bind mount inside the
// namespace) because Debian's init script starts and stops *every* cluster
// under /etc/postgresql/15 (it ignores PG_CLUSTER_CONF_ROOT). The machine's
// own clusters are never touched; the tests check that.
//
// Cleanup on failure: a guard stops the postmaster (pg_ctl -m immediate)
// or drops the cluster; the namespace's destructor kills anything left in
// it and its mounts go with it; the loop device is detached last.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/agents/executor_fixture.h"
#include "tests/agents/node_fixtures.h"

namespace paceline::agents::testing {
namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

// A TCP port on 127.0.0.1 that nothing listens on right now.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string AsPostgres(const std::string& cmd) {
  return "runuser -u postgres -- " + cmd;
}

class PostgresTest : public ExecutorTest {
 protected:
  void SetUp() override {
    ExecutorTest::SetUp();
    // The postgres user must reach the data and socket directories.
    chmod(dir_.c_str(), 0755);
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    host_clusters_ = Shell("pg_lsclusters -h").output;
  }
  void TearDown() override {
    ExecutorTest::TearDown();
    // Whatever happened inside the namespaces, the machine's clusters are
    // as they were.
    EXPECT_EQ(Shell("pg_lsclusters -h").output, host_clusters_);
  }

  int port_ = -1;
  std::string host_clusters_;
};

// Stops a postmaster left running by a failed test, inside the namespace
// where its data directory is mounted.
struct PostmasterGuard {
  std::string pgdata;
  ~PostmasterGuard() {
    if (std::filesystem::exists(pgdata + "/postmaster.pid")) {
      Shell(AsPostgres(std::string(kPgBin) + "/pg_ctl stop -m immediate -D " +
                       pgdata + " -w -t 10"));
    }
  }
};

TEST_F(PostgresTest, PgsqlOnLoopMountedXfsWithPgbench) {
  LoopDevice loop(dir_ + "/san.img", 300, "xfs");
  ASSERT_TRUE(loop.ok()) << loop.error();
  MountNamespace node;
  ASSERT_TRUE(node.ok()) << node.error();
  MountNamespace::Inside in(node);
  ASSERT_TRUE(in.ok());

  std::string mnt = dir_ + "/db";
  std::string pgdata = mnt + "/pgdata";
  std::string sock = dir_ + "/sock";
  std::filesystem::create_directories(mnt);
  auto fs = [&](const std::string& action) {
    ActionRequest r = Ocf("pg_fs", "heartbeat", "Filesystem", action,
                          {{"device", loop.device()},
                           {"directory", mnt},
                           {"fstype", "xfs"},
                           {"options", "noatime"}});
    r.extra_env.Set("MODPROBE", "/bin/true");
    return Run(r);
  };
  ASSERT_EQ(fs("start").rc, 0);
  ASSERT_TRUE(MountedHere(mnt));

  PostmasterGuard guard{pgdata};
  ShellResult init =
      Shell("mkdir -m 700 " + pgdata + " " + sock +
            " && chown postgres: " + pgdata + " " + sock + " && " +
            AsPostgres(std::string(kPgBin) + "/initdb -D " + pgdata +
                       " -A trust --no-sync --no-instructions") +
            " && printf \"port = " + std::to_string(port_) +
            "\\nlisten_addresses = '127.0.0.1'\\nunix_socket_directories = '" +
            sock + "'\\n\" >> " + pgdata + "/postgresql.conf");
  ASSERT_EQ(init.exit_code, 0) << init.output;

  auto pgsql = [&](const std::string& action, long long interval_ms = 0) {
    ActionRequest r = Ocf("pgsql", "heartbeat", "pgsql", action,
                          {{"pgctl", std::string(kPgBin) + "/pg_ctl"},
                           {"psql", std::string(kPgBin) + "/psql"},
                           {"pgdata", pgdata},
                           {"pgport", std::to_string(port_)},
                           {"socketdir", sock},
                           {"logfile", dir_ + "/postgres.log"},
                           {"rep_mode", "none"}});
    r.interval_ms = interval_ms;
    r.timeout_ms = 60000;
    return Run(r);
  };
  EXPECT_EQ(pgsql("validate-all").rc, 0);
  EXPECT_EQ(pgsql("monitor").rc, 7) << "probe before start";
  ActionResult start = pgsql("start");
  ASSERT_EQ(start.rc, 0) << Describe(start) << "\n" << start.output.Text();
  EXPECT_EQ(pgsql("monitor").rc, 0);
  EXPECT_EQ(pgsql("monitor", 10000).rc, 0);

  // pgbench through the private socket, then over TCP on the private port.
  std::string port = " -p " + std::to_string(port_);
  ShellResult bench_init =
      Shell(AsPostgres("pgbench -q -i -s 1 -h " + sock + port + " postgres"));
  ASSERT_EQ(bench_init.exit_code, 0) << bench_init.output;
  ShellResult bench = Shell(
      AsPostgres("pgbench -c 2 -j 2 -T 2 -h 127.0.0.1" + port + " postgres"));
  EXPECT_EQ(bench.exit_code, 0) << bench.output;
  EXPECT_NE(bench.output.find("number of failed transactions: 0 "),
            std::string::npos)
      << bench.output;
  EXPECT_NE(bench.output.find("tps = "), std::string::npos) << bench.output;

  ActionResult stop = pgsql("stop");
  EXPECT_EQ(stop.rc, 0) << stop.output.Text();
  EXPECT_FALSE(std::filesystem::exists(pgdata + "/postmaster.pid"));
  EXPECT_EQ(pgsql("monitor").rc, 7);
  EXPECT_EQ(pgsql("stop").rc, 0) << "stop is idempotent";
  EXPECT_EQ(fs("stop").rc, 0);
  EXPECT_FALSE(MountedHere(mnt));
}

// Debian's init script, unmodified, acting on the node's private
// /etc/postgresql with one cluster made by pg_createcluster.
struct ClusterGuard {
  bool created = false;
  ~ClusterGuard() {
    if (created) Shell("pg_dropcluster --stop 15 agt");
  }
};

TEST_F(PostgresTest, LsbPostgresqlWithPrivateCluster) {
  MountNamespace node;
  ASSERT_TRUE(node.ok()) << node.error();
  MountNamespace::Inside in(node);
  ASSERT_TRUE(in.ok());
  std::string etc = dir_ + "/etc-postgresql";
  std::filesystem::create_directories(etc);
  ShellResult setup =
      Shell("mount --bind " + etc +
            " /etc/postgresql && mkdir -p /run/postgresql && "
            "mount -t tmpfs -o mode=2775 agt-pg-run /run/postgresql && "
            "chown postgres:postgres /run/postgresql");
  ASSERT_EQ(setup.exit_code, 0) << setup.output;
  ASSERT_EQ(Shell("pg_lsclusters -h").output, "")
      << "the namespace still sees the machine's clusters";

  ClusterGuard guard;
  ShellResult create = Shell("pg_createcluster -q -p " + std::to_string(port_) +
                             " -d " + dir_ + "/data --logfile " + dir_ +
                             "/postgres.log 15 agt -- -A trust --no-sync");
  ASSERT_EQ(create.exit_code, 0) << create.output;
  guard.created = true;

  auto lsb = [&](const std::string& action) {
    ActionRequest r;
    r.resource_id = "pg_lsb";
    r.agent = {"lsb", "", "postgresql"};
    r.action = action;
    r.timeout_ms = 60000;
    return Run(r);
  };
  ActionResult probe = lsb("monitor");
  EXPECT_EQ(probe.rc, 7) << probe.output.Text();
  EXPECT_EQ(probe.raw_rc, 3) << "LSB status: 3 stopped";
  ActionResult start = lsb("start");
  ASSERT_EQ(start.rc, 0) << start.output.Text();
  EXPECT_EQ(lsb("monitor").rc, 0);
  EXPECT_EQ(lsb("start").rc, 0) << "LSB start of a running service is 0";
  ShellResult query =
      Shell(AsPostgres("psql -h /run/postgresql -p " + std::to_string(port_) +
                       " -tA -c 'select 40 + 2' postgres"));
  EXPECT_EQ(query.output, "42\n");
  EXPECT_EQ(lsb("stop").rc, 0);
  EXPECT_EQ(lsb("monitor").rc, 7);
  EXPECT_EQ(lsb("stop").rc, 0) << "LSB stop of a stopped service is 0";
}

}  // namespace
}  // namespace paceline::agents::testing
