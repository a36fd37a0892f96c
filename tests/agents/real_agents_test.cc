// Real agents beyond Dummy/Stateful whose behaviour here is known (see the
// project's agents-notes): Filesystem on tmpfs (needs MODPROBE=/bin/true on
// this machine: no kmod), and drbd, which cannot run without its kernel
// module and must map to "not installed".
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include <fstream>

#include "tests/agents/executor_fixture.h"

namespace paceline::agents::testing {
namespace {

bool Mounted(const std::string& dir) {
  std::ifstream in("/proc/mounts");
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" " + dir + " ") != std::string::npos) return true;
  }
  return false;
}

// Unmounts dir when the test ends, whatever happened, before the fixture
// removes the temp dir.
struct UnmountGuard {
  std::string dir;
  ~UnmountGuard() {
    while (Mounted(dir) && umount2(dir.c_str(), MNT_DETACH) == 0) {
    }
  }
};

TEST_F(ExecutorTest, FilesystemTmpfsLifecycleWithModprobeOverride) {
  std::string mnt = dir_ + "/mnt";
  std::filesystem::create_directories(mnt);
  UnmountGuard guard{mnt};
  auto fs = [&](const std::string& action) {
    ActionRequest r =
        Ocf("fs", "heartbeat", "Filesystem", action,
            {{"device", "tmpfs"}, {"fstype", "tmpfs"}, {"directory", mnt}});
    r.extra_env.Set("MODPROBE", "/bin/true");
    return Run(r);
  };
  EXPECT_EQ(fs("monitor").rc, 7);
  EXPECT_EQ(fs("start").rc, 0);
  EXPECT_TRUE(Mounted(mnt));
  EXPECT_EQ(fs("monitor").rc, 0);
  EXPECT_EQ(fs("stop").rc, 0);
  EXPECT_FALSE(Mounted(mnt));
  EXPECT_EQ(fs("monitor").rc, 7);
}

TEST_F(ExecutorTest, FilesystemWithoutModprobeIsNotInstalled) {
  std::string mnt = dir_ + "/mnt";
  std::filesystem::create_directories(mnt);
  UnmountGuard guard{mnt};
  ActionResult r =
      Run(Ocf("fs", "heartbeat", "Filesystem", "start",
              {{"device", "tmpfs"}, {"fstype", "tmpfs"}, {"directory", mnt}}));
  EXPECT_EQ(r.rc, 5) << r.output.Text();
  EXPECT_NE(r.output.ExitReason().find("modprobe"), std::string::npos)
      << r.output.Text();
  EXPECT_FALSE(Mounted(mnt));
}

TEST_F(ExecutorTest, DrbdWithoutKernelModuleIsNotInstalled) {
  std::ofstream(dir_ + "/drbd.conf") << "# empty\n";
  for (const char* action : {"monitor", "start", "promote"}) {
    ActionResult r = Run(
        Ocf("drbd_pg", "linbit", "drbd", action,
            {{"drbd_resource", "agt-r0"}, {"drbdconf", dir_ + "/drbd.conf"}}));
    EXPECT_EQ(r.status, ExecStatus::kDone) << action;
    EXPECT_EQ(r.rc, 5) << action << ": " << r.output.Text();
  }
}

// An LSB script in a temp init.d: monitor runs `status`, and LSB status codes
// map to OCF as Pacemaker maps them (3, and 1 "dead but pid file", -> 7
// not running; 4 unknown -> 1; 0 -> 0).
TEST_F(ExecutorTest, LsbStatusCodesAreMapped) {
  std::string initd = dir_ + "/init.d";
  std::filesystem::create_directories(initd);
  node_.lsb_root = initd;
  std::string script = initd + "/svc";
  std::ofstream(script) << "#!/bin/sh\n"
                           "case \"$1\" in\n"
                           "  status) exit $(cat "
                        << dir_
                        << "/code) ;;\n"
                           "  start|stop) exit 0 ;;\n"
                           "  *) exit 3 ;;\n"
                           "esac\n";
  chmod(script.c_str(), 0755);
  auto monitor_with = [&](int lsb_code) {
    std::ofstream(dir_ + "/code") << lsb_code << "\n";
    ActionRequest r;
    r.resource_id = "svc";
    r.agent = {"lsb", "", "svc"};
    r.action = "monitor";
    return Run(r);
  };
  EXPECT_EQ(monitor_with(0).rc, 0);
  ActionResult stopped = monitor_with(3);
  EXPECT_EQ(stopped.rc, 7);
  EXPECT_EQ(stopped.raw_rc, 3);
  EXPECT_EQ(monitor_with(1).rc, 7);
  EXPECT_EQ(monitor_with(4).rc, 1);
}

// Runs the test in a private network namespace (the test process and so
// every agent it spawns), restoring the original one at scope exit.
class PrivateNetns {
 public:
  PrivateNetns() {
    orig_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ok_ = orig_ >= 0 && unshare(CLONE_NEWNET) == 0;
  }
  ~PrivateNetns() {
    if (orig_ >= 0) {
      if (ok_) setns(orig_, CLONE_NEWNET);
      close(orig_);
    }
  }
  bool ok() const { return ok_; }

 private:
  int orig_ = -1;
  bool ok_ = false;
};

// IPaddr2 starts send_arp in the background holding the agent's stdout for
// about a second (5 ARPs 200 ms apart). The start must complete when the
// agent exits, while send_arp is still running in its process group.
TEST_F(ExecutorTest, IPaddr2InNetnsCompletesBeforeBackgroundSendArp) {
  PrivateNetns netns;
  ASSERT_TRUE(netns.ok()) << "unshare(CLONE_NEWNET) failed";
  ASSERT_EQ(std::system("ip link set lo up && "
                        "ip link add va type veth peer name vb && "
                        "ip link set va up && ip link set vb up && "
                        "ip addr add 198.51.100.1/24 dev va"),
            0);
  auto ip = [&](const std::string& action) {
    return Run(
        Ocf("vip", "heartbeat", "IPaddr2", action,
            {{"ip", "198.51.100.10"}, {"cidr_netmask", "24"}, {"nic", "va"}}));
  };
  auto has_vip = [] {
    return std::system("ip -o addr show dev va | grep -q 198.51.100.10/24") ==
           0;
  };
  EXPECT_EQ(ip("monitor").rc, 7);
  ActionResult start = ip("start");
  EXPECT_EQ(start.rc, 0) << start.output.Text();
  EXPECT_FALSE(GroupGone(start.pid))
      << "send_arp should still run after the agent exited";
  EXPECT_TRUE(has_vip());
  EXPECT_EQ(ip("monitor").rc, 0);
  EXPECT_EQ(ip("stop").rc, 0);
  EXPECT_FALSE(has_vip());
  EXPECT_EQ(ip("monitor").rc, 7);
}

}  // namespace
}  // namespace paceline::agents::testing
