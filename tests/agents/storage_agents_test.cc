// The storage agents with real block devices: Filesystem on a loop device
// (xfs and ext4) in simulated nodes' private mount namespaces, and the
// agents that cannot really work on this machine (no device-mapper, no DRBD
// module; see the project's agents-notes): LVM-activate and LVM against a
// real volume group, drbd against a real drbd.conf. For those the tests pin
// that the agents are invoked right (their tools see our parameters) and
// that their failures come back as the right OCF codes with a clear reason.
//
// Everything is undone by RAII (tests/agents/node_fixtures.h) even when an
// assertion fails: namespaces (and what runs and is mounted in them), then
// loop devices, then the fixture's temp dir.
#include <gtest/gtest.h>

#include "tests/agents/executor_fixture.h"
#include "tests/agents/node_fixtures.h"

namespace paceline::agents::testing {
namespace {

class FilesystemTest : public ExecutorTest,
                       public ::testing::WithParamInterface<std::string> {
 protected:
  ActionRequest Fs(const std::string& device, const std::string& action) {
    ActionRequest r = Ocf("fs", "heartbeat", "Filesystem", action,
                          {{"device", device},
                           {"directory", dir_ + "/mnt"},
                           {"fstype", GetParam()},
                           {"options", "noatime"}});
    r.extra_env.Set("MODPROBE", "/bin/true");  // no kmod on this machine
    return r;
  }
};

// Node 1 mounts the file system in its own mount namespace: the mount and
// the files on it exist there and nowhere else; node 2's probe says "not
// running" (with one shared mount table it would say 0: active on both).
TEST_P(FilesystemTest, StartMonitorStopInTheNodesMountNamespace) {
  LoopDevice loop(dir_ + "/disk.img", 300, GetParam());
  ASSERT_TRUE(loop.ok()) << loop.error();
  MountNamespace node1, node2;
  ASSERT_TRUE(node1.ok()) << node1.error();
  ASSERT_TRUE(node2.ok()) << node2.error();
  std::string mnt = dir_ + "/mnt";
  std::filesystem::create_directories(mnt);
  {
    MountNamespace::Inside in(node1);
    ASSERT_TRUE(in.ok());
    ActionResult probe = Run(Fs(loop.device(), "monitor"));
    EXPECT_EQ(probe.rc, 7) << probe.output.Text();
    ActionResult start = Run(Fs(loop.device(), "start"));
    ASSERT_EQ(start.rc, 0) << Describe(start) << "\n" << start.output.Text();
    ASSERT_TRUE(MountedHere(mnt));
    EXPECT_NE(("," + MountOptions(mnt) + ",").find(",noatime,"),
              std::string::npos)
        << MountOptions(mnt);
    std::ofstream(mnt + "/written-on-node1") << "x\n";
    EXPECT_EQ(Run(Fs(loop.device(), "monitor")).rc, 0);
    ActionRequest recurring = Fs(loop.device(), "monitor");
    recurring.interval_ms = 20000;
    EXPECT_EQ(Run(recurring).rc, 0);
  }
  EXPECT_FALSE(MountedHere(mnt)) << "the mount leaked out of node1";
  EXPECT_FALSE(std::filesystem::exists(mnt + "/written-on-node1"));
  {
    MountNamespace::Inside in(node2);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(Run(Fs(loop.device(), "monitor")).rc, 7)
        << "node2 must not see node1's mount";
  }
  {
    MountNamespace::Inside in(node1);
    ASSERT_TRUE(in.ok());
    ActionResult stop = Run(Fs(loop.device(), "stop"));
    EXPECT_EQ(stop.rc, 0) << stop.output.Text();
    EXPECT_FALSE(MountedHere(mnt));
    EXPECT_EQ(Run(Fs(loop.device(), "monitor")).rc, 7);
    EXPECT_EQ(Run(Fs(loop.device(), "stop")).rc, 0) << "stop is idempotent";
  }
}

// A test that fails half-way leaves a mounted file system in a namespace
// and a process holding it. The fixtures' destructors must still free
// everything: the process is killed, the namespace (and so the mount) goes,
// the loop device is detached and its file removed.
TEST_P(FilesystemTest, AbandonedMountIsCleanedUp) {
  std::string image = dir_ + "/disk.img";
  std::string device;
  {
    LoopDevice loop(image, 300, GetParam());
    ASSERT_TRUE(loop.ok()) << loop.error();
    device = loop.device();
    MountNamespace node;
    ASSERT_TRUE(node.ok()) << node.error();
    std::filesystem::create_directories(dir_ + "/mnt");
    MountNamespace::Inside in(node);
    ASSERT_TRUE(in.ok());
    ASSERT_EQ(Run(Fs(device, "start")).rc, 0);
    // A process with its cwd on the mount, as a crashed node would leave.
    ASSERT_EQ(Shell("cd " + dir_ +
                    "/mnt && (setsid sleep 60 >/dev/null "
                    "2>&1 &)")
                  .exit_code,
              0);
    ASSERT_FALSE(node.Members().empty());
  }  // no stop: the destructors must cope
  EXPECT_FALSE(std::filesystem::exists(image));
  // The kernel detaches an auto-cleared device once the file system is
  // released, which can lag the namespace's end a little.
  bool detached = RunUntil(
      [&] {
        return Shell("losetup " + device + " 2>/dev/null | grep -q " + image)
                   .exit_code != 0;
      },
      milliseconds(5000));
  EXPECT_TRUE(detached) << device << " still backed by " << image;
}

INSTANTIATE_TEST_SUITE_P(XfsAndExt4, FilesystemTest,
                         ::testing::Values("xfs", "ext4"));

// The same through the CLI, the way a node's daemon would run it: one
// process tree in one private mount namespace (`unshare --mount`) runs every
// action of the node with `paceline agent exec`. The namespace ends with
// the tree, so nothing is left mounted even if the script stops half-way.
TEST_F(ExecutorTest, AgentExecCliInsideUnshareMountNamespace) {
  LoopDevice loop(dir_ + "/disk.img", 64, "ext4");
  ASSERT_TRUE(loop.ok()) << loop.error();
  std::string mnt = dir_ + "/mnt";
  std::filesystem::create_directories(mnt);
  std::string args =
      " --run-dir " + dir_ +
      "/run --node n1 --env MODPROBE=/bin/true device=" + loop.device() +
      " directory=" + mnt + " fstype=ext4 options=noatime";
  auto step = [&](const std::string& action) {
    return std::string(PACELINE_BIN) + " agent exec ocf:heartbeat:Filesystem " +
           action + args + " >/dev/null 2>&1; echo " + action + "=$?; ";
  };
  ShellResult r = Shell("unshare --mount --propagation private sh -c '" +
                        step("monitor") + step("start") + "grep -q \" " + mnt +
                        " \" /proc/self/mountinfo && echo mounted-inside; " +
                        step("monitor") + step("stop") + step("monitor") + "'");
  EXPECT_EQ(r.output,
            "monitor=7\nstart=0\nmounted-inside\nmonitor=0\nstop=0\n"
            "monitor=7\n");
  EXPECT_FALSE(MountedHere(mnt));
}

// Logging wrappers for the agents' tools: each records its name and
// arguments, then runs the real tool. Put first on PATH through HA_SBIN_DIR
// (NodeContext::sbin_dir), which is where agents look.
void WriteToolShims(const std::string& dir, const std::string& log,
                    const std::vector<std::string>& tools) {
  std::filesystem::create_directories(dir);
  for (const auto& tool : tools) {
    std::string path = dir + "/" + tool;
    std::ofstream(path) << "#!/bin/sh\necho \"" << tool << " $*\" >> " << log
                        << "\nexec /usr/sbin/" << tool << " \"$@\"\n";
    chmod(path.c_str(), 0755);
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// drbd: without the kernel module every action but stop is "not installed"
// (5) with the agent's reason; stop succeeds through its fallback. The
// agent reads our drbdconf and drbd_resource: its drbdadm calls carry them.
TEST_F(ExecutorTest, DrbdIsInvokedWithItsResourceAndFailsAsNotInstalled) {
  std::string conf = dir_ + "/drbd.conf";
  std::ofstream(conf) << "resource agt-r0 {\n"
                         "  device /dev/drbd9; disk /dev/null;"
                         " meta-disk internal;\n"
                         "  on "
                      << HostName()
                      << " { address 127.0.0.2:7789; node-id 0; }\n"
                         "  on agt-peer { address 127.0.0.3:7789; node-id 1;"
                         " }\n}\n";
  std::string log = dir_ + "/tools.log";
  WriteToolShims(dir_ + "/shim", log, {"drbdadm", "drbdsetup"});
  node_.sbin_dir = dir_ + "/shim";
  auto drbd = [&](const std::string& action) {
    ActionRequest r = Ocf("drbd_pg", "linbit", "drbd", action,
                          {{"drbd_resource", "agt-r0"}, {"drbdconf", conf}});
    r.meta.Set("clone-max", "2");
    r.meta.Set("clone-node-max", "1");
    r.meta.Set("master-max", "1");
    r.meta.Set("master-node-max", "1");
    r.meta.Set("notify", "true");
    return r;
  };
  for (const char* action :
       {"validate-all", "monitor", "start", "promote", "demote", "notify"}) {
    ActionResult r = Run(drbd(action));
    EXPECT_EQ(r.status, ExecStatus::kDone) << action;
    EXPECT_EQ(r.rc, 5) << action << ": " << r.output.Text();
    EXPECT_EQ(Describe(r), "rc=5 (not installed)") << action;
    EXPECT_NE(r.output.ExitReason().find("DRBD kernel (module) not available"),
              std::string::npos)
        << action << ": " << r.output.Text();
  }
  ActionRequest recurring = drbd("monitor");
  recurring.interval_ms = 15000;
  EXPECT_EQ(Run(recurring).rc, 5);
  ActionResult stop = Run(drbd("stop"));
  EXPECT_EQ(stop.rc, 0) << stop.output.Text();
  // Every action asked drbdadm for the kernel version; stop's fallback
  // took the resource down by our drbd_resource name.
  std::string calls = ReadFile(log);
  EXPECT_NE(calls.find("drbdadm --version"), std::string::npos) << calls;
  EXPECT_NE(calls.find("drbdsetup down agt-r0\n"), std::string::npos) << calls;
}

// A real volume group on a loop device, seen only through a private
// LVM_SYSTEM_DIR whose filter accepts nothing but that device. Without
// device-mapper the LV cannot be activated: start is a generic error with
// the agent's reason, probe and monitor say not running, stop succeeds.
class LvmTest : public ExecutorTest {
 protected:
  void SetUp() override {
    ExecutorTest::SetUp();
    loop_ = std::make_unique<LoopDevice>(dir_ + "/pv.img", 64, "");
    ASSERT_TRUE(loop_->ok()) << loop_->error();
    lvm_dir_ = dir_ + "/lvm";
    std::filesystem::create_directories(lvm_dir_);
    const std::string& dev = loop_->device();
    std::ofstream(lvm_dir_ + "/lvm.conf")
        << "devices {\n  filter = [ \"a|^" << dev
        << "$|\", \"r|.*|\" ]\n  global_filter = [ \"a|^" << dev
        << "$|\", \"r|.*|\" ]\n  use_devicesfile = 0\n}\n"
           "global {\n  system_id_source = \"uname\"\n}\n";
    ShellResult r = Lvm("pvcreate -q " + dev + " && vgcreate -q agt_vg " + dev +
                        " && lvcreate -q --driverloaded n -n agt_lv -L 8M "
                        "agt_vg");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    made_vg_ = true;
    log_ = dir_ + "/tools.log";
    WriteToolShims(dir_ + "/shim", log_,
                   {"lvm", "vgs", "lvs", "vgchange", "lvchange", "dmsetup"});
    node_.sbin_dir = dir_ + "/shim";
  }
  void TearDown() override {
    if (made_vg_) Lvm("vgremove -f -q agt_vg; pvremove -q " + loop_->device());
    loop_.reset();
    ExecutorTest::TearDown();
  }
  ShellResult Lvm(const std::string& cmds) {
    return Shell("export LVM_SYSTEM_DIR=" + lvm_dir_ +
                 " LVM_SUPPRESS_FD_WARNINGS=1; " + cmds);
  }
  ActionRequest Agent(const std::string& type, const std::string& action,
                      std::vector<std::pair<std::string, std::string>> p) {
    ActionRequest r = Ocf("pg_lvm", "heartbeat", type, action, std::move(p));
    r.extra_env.Set("LVM_SYSTEM_DIR", lvm_dir_);
    return r;
  }

  std::unique_ptr<LoopDevice> loop_;
  std::string lvm_dir_;
  std::string log_;
  bool made_vg_ = false;
};

TEST_F(LvmTest, LvmActivateStartFailsWithReasonAndStopSucceeds) {
  auto la = [&](const std::string& action) {
    return Run(Agent("LVM-activate", action,
                     {{"vgname", "agt_vg"},
                      {"lvname", "agt_lv"},
                      {"vg_access_mode", "system_id"}}));
  };
  EXPECT_EQ(la("monitor").rc, 7);
  ActionResult start = la("start");
  EXPECT_EQ(start.status, ExecStatus::kDone);
  EXPECT_EQ(start.rc, 1) << start.output.Text();
  EXPECT_EQ(Describe(start), "rc=1 (generic error)");
  EXPECT_EQ(start.output.ExitReason(), "agt_vg/agt_lv: failed to activate.")
      << start.output.Text();
  EXPECT_EQ(la("monitor").rc, 7);
  EXPECT_EQ(la("stop").rc, 0);
  // The agent asked LVM about our VG and LV by name.
  std::string calls = ReadFile(log_);
  EXPECT_NE(calls.find("agt_vg/agt_lv"), std::string::npos) << calls;
  EXPECT_NE(calls.find("vgchange"), std::string::npos) << calls;
  // Misconfiguration: no vg_access_mode is "not configured".
  ActionResult bad = Run(Agent("LVM-activate", "start",
                               {{"vgname", "agt_vg"}, {"lvname", "agt_lv"}}));
  EXPECT_EQ(bad.rc, 6) << bad.output.Text();
  EXPECT_FALSE(bad.output.ExitReason().empty()) << bad.output.Text();
}

TEST_F(LvmTest, LvmVolgrpnameReachesTheAgent) {
  auto lvm = [&](const std::string& action, const std::string& vg) {
    return Run(Agent("LVM", action, {{"volgrpname", vg}}));
  };
  EXPECT_EQ(lvm("monitor", "agt_vg").rc, 7);
  ActionResult start = lvm("start", "agt_vg");
  EXPECT_EQ(start.rc, 1) << start.output.Text();
  EXPECT_NE(start.output.ExitReason().find("agt_vg did not activate"),
            std::string::npos)
      << start.output.Text();
  EXPECT_EQ(lvm("stop", "agt_vg").rc, 0);
  EXPECT_NE(ReadFile(log_).find("agt_vg"), std::string::npos);
  // A VG that does not exist: validation fails, the probe says not running.
  EXPECT_EQ(lvm("validate-all", "no_such_vg").rc, 1);
  EXPECT_EQ(lvm("monitor", "no_such_vg").rc, 7);
}

}  // namespace
}  // namespace paceline::agents::testing
