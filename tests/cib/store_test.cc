// cib.yaml on disk: the bytes SerializeDocument writes, ParseDocument's
// errors, and CibStore's atomicity, modes, failure behaviour and locking.
#include "cib/store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_documents.h"

namespace paceline::cib {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct stat StatOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

Document SmallDocument() {
  Document d;
  d.versions = {0, 2, 1};
  d.config.properties = {{"stonith-enabled", "false"}};
  d.config.nodes = {{"HA-node1", 1, "", "", {{"standby", "on"}}, {}}};
  Resource p = doc_fixtures::Primitive("p1", "ocf:heartbeat:Dummy");
  p.ops = {{"monitor", {{"interval", "10"}}}};
  Resource g;
  g.id = "g";
  g.kind = ResourceKind::kGroup;
  g.children = {"p1", "yes"};
  d.config.resources = {p, g};
  d.config.constraints = {
      Location{"l1", "g", Role::kUnknown, Score::Infinity(), "HA-node1",
               doc_fixtures::At("2026-11-25T10:00:00Z"), ""}};
  d.status.dc = "HA-node1";
  return d;
}

TEST(SerializeDocumentTest, WritesTheReadableLayout) {
  EXPECT_EQ(SerializeDocument(SmallDocument()),
            "# Paceline cluster configuration (CIB). Written atomically by "
            "paceline;\n"
            "# edit with care: crm configure edit/load is safer.\n"
            "admin_epoch: 0\n"
            "epoch: 2\n"
            "num_updates: 1\n"
            "configuration:\n"
            "  properties:\n"
            "    stonith-enabled: \"false\"\n"
            "  nodes:\n"
            "    - name: HA-node1\n"
            "      id: 1\n"
            "      attributes:\n"
            "        standby: \"on\"\n"
            "  resources:\n"
            "    - primitive: p1\n"
            "      agent: ocf:heartbeat:Dummy\n"
            "      ops:\n"
            "        - name: monitor\n"
            "          interval: \"10\"\n"
            "    - group: g\n"
            "      members: [p1, \"yes\"]\n"
            "  constraints:\n"
            "    - location: l1\n"
            "      rsc: g\n"
            "      score: INFINITY\n"
            "      node: HA-node1\n"
            "      expires: \"2026-11-25T10:00:00Z\"\n"
            "status:\n"
            "  dc: HA-node1\n");
}

TEST(SerializeDocumentTest, RichDocumentRoundTrips) {
  Document original = doc_fixtures::RichDocument();
  std::string text = SerializeDocument(original);
  Result<Document> back = ParseDocument(text);
  ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << text;
  EXPECT_EQ(*back, original) << text;
  EXPECT_EQ(SerializeDocument(*back), text);  // deterministic
}

TEST(SerializeDocumentTest, EmptyDocumentRoundTrips) {
  Result<Document> back = ParseDocument(SerializeDocument(Document{}));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, Document{});
}

struct BadYaml {
  const char* yaml;
  const char* message;
};

class ParseDocumentErrorTest : public ::testing::TestWithParam<BadYaml> {};

TEST_P(ParseDocumentErrorTest, IsCorruptWithLineAndPath) {
  Result<Document> doc = ParseDocument(GetParam().yaml);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(doc.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseDocumentErrorTest,
    ::testing::Values(
        BadYaml{"epoch: 1\nconfiguration:\n  nodes:\n    - name: a\n"
                "      nmae: b\n",
                "line 5, column 7: configuration.nodes[0]: unknown key "
                "'nmae'"},
        BadYaml{"configuration:\n  resources:\n    - primitive: a\n"
                "      agent: lsb:x\n    - primitive: b\n"
                "      agent: ocf:heartbeat:Dummy\n      ops:\n"
                "        - interval: 10\n",
                "line 8, column 11: configuration.resources[1].ops[0]: "
                "missing required key 'name'"},
        BadYaml{"configuration:\n  resources:\n    - primitive: a\n"
                "      agent: nonsense:x\n",
                "line 4, column 7: configuration.resources[0].agent: agent "
                "'nonsense:x': unknown class 'nonsense' (expected ocf, lsb, "
                "systemd, service or stonith)"},
        BadYaml{"configuration:\n  constraints:\n    - location: l\n"
                "      rsc: a\n      score: much\n      node: n\n",
                "line 5, column 7: configuration.constraints[0].score: "
                "invalid score 'much' (expected an integer, inf, -inf or "
                "INFINITY)"},
        BadYaml{"configuration:\n  resources:\n    primitive: a\n",
                "line 2, column 3: configuration.resources: expected a list, "
                "got a map"},
        BadYaml{"configuration:\n  resources:\n    - primitive: a\n"
                "      group: b\n",
                "line 3, column 7: configuration.resources[0]: has both "
                "'primitive' and 'group' (one kind key per entry)"},
        BadYaml{"- a\n- b\n",
                "line 1, column 1: top level: expected a "
                "map, got a list"},
        BadYaml{"configuration:\n  resources:\n    - group: g\n"
                "      members: [a, b\n",
                "line 4, column 1: end of sequence flow not found"},
        BadYaml{"configuration:\n\tproperties:\n\t\tx: y\n",
                "line 2, column 12: illegal map value (the line is indented "
                "with a tab; YAML allows only spaces)"}));

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cib_store_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/cib.yaml";
    old_umask_ = ::umask(022);
  }
  void TearDown() override {
    ::umask(old_umask_);
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  // Every name in the directory but the file and its lock.
  std::vector<std::string> Strays() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      std::string name = e.path().filename().string();
      if (name != "cib.yaml" && name != "cib.yaml.lock") out.push_back(name);
    }
    return out;
  }

  std::string dir_;
  std::string path_;
  mode_t old_umask_ = 0;
};

TEST_F(StoreTest, SaveThenLoadGivesTheSameDocument) {
  CibStore store(path_);
  Document doc = doc_fixtures::RichDocument();
  ASSERT_TRUE(store.Save(doc).ok());
  Result<Document> back = store.Load();
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, doc);
  EXPECT_EQ(ReadFile(path_), SerializeDocument(doc));
  EXPECT_TRUE(Strays().empty());
}

TEST_F(StoreTest, LoadOfMissingFileIsNotFound) {
  Result<Document> doc = CibStore(path_).Load();
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kNotFound);
  EXPECT_NE(doc.status().message().find(path_), std::string::npos);
}

TEST_F(StoreTest, LoadOfBadFileIsCorruptAndNamesFileAndLine) {
  WriteFile(path_, "epoch: 1\nconfiguration:\n  properties: [\n");
  Result<Document> doc = CibStore(path_).Load();
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(doc.status().message(),
            path_ + ": line 3, column 1: end of sequence flow not found");
  WriteFile(path_, "epoch: 1\nconfiguration:\n  propertys: {}\n");
  doc = CibStore(path_).Load();
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            path_ +
                ": line 3, column 3: configuration: unknown key "
                "'propertys'");
}

TEST_F(StoreTest, NewFileIsPrivateEvenWithAPermissiveUmask) {
  ::umask(0);
  ASSERT_TRUE(CibStore(path_).Save(SmallDocument()).ok());
  EXPECT_EQ(StatOf(path_).st_mode & 07777, 0600u);
}

TEST_F(StoreTest, ExistingFileKeepsItsMode) {
  WriteFile(path_, "epoch: 1\n");
  ASSERT_EQ(::chmod(path_.c_str(), 0640), 0);
  ASSERT_TRUE(CibStore(path_).Save(SmallDocument()).ok());
  EXPECT_EQ(StatOf(path_).st_mode & 07777, 0640u);
  Result<Document> back = CibStore(path_).Load();
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, SmallDocument());
}

TEST_F(StoreTest, SaveIntoMissingDirectoryIsIo) {
  std::string path = dir_ + "/missing/cib.yaml";
  Status s = CibStore(path).Save(SmallDocument());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos)
      << s.message();
}

// A failure at the temporary file (here: its name is taken by a directory,
// which stops root too) leaves the old file as it was and nothing behind.
TEST_F(StoreTest, FailedSaveLeavesOldFileUntouched) {
  CibStore store(path_);
  ASSERT_TRUE(store.Save(SmallDocument()).ok());
  const std::string before = ReadFile(path_);
  const std::string tmp = dir_ + "/.cib.yaml.tmp." + std::to_string(getpid());
  ASSERT_EQ(::mkdir(tmp.c_str(), 0700), 0);
  Status s = store.Save(doc_fixtures::RichDocument());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find(tmp), std::string::npos) << s.message();
  EXPECT_EQ(ReadFile(path_), before);
  ASSERT_EQ(::rmdir(tmp.c_str()), 0);
  EXPECT_TRUE(Strays().empty());
}

// Runs the Save in a child without root's override of directory
// permissions (root's writes ignore mode bits).
TEST_F(StoreTest, SaveIntoReadOnlyDirectoryIsIoAndKeepsOldFile) {
  CibStore store(path_);
  ASSERT_TRUE(store.Save(SmallDocument()).ok());
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  const std::string before = ReadFile(path_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0555), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
      _exit(77);
    }
    Status s = store.Save(doc_fixtures::RichDocument());
    bool ok = s.code() == StatusCode::kIo &&
              s.message().find(path_) != std::string::npos &&
              s.message().find("Permission denied") != std::string::npos;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot drop privileges";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(ReadFile(path_), before);
  EXPECT_TRUE(Strays().empty());
}

TEST_F(StoreTest, SaveRefusesADocumentItCouldNotReadBack) {
  Document doc = SmallDocument();
  doc.config.resources[0].agent = AgentSpec{};  // a primitive without agent
  Status s = CibStore(path_).Save(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalid);
  EXPECT_NE(s.message().find("configuration.resources[0].agent"),
            std::string::npos)
      << s.message();
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(StoreTest, UpdateWithFailingMutateWritesNothing) {
  CibStore store(path_);
  Status s = store.Update([](Document& d) {
    d.versions.epoch = 5;
    return Status::Invalid("no");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalid);
  EXPECT_FALSE(fs::exists(path_));

  ASSERT_TRUE(store.Save(SmallDocument()).ok());
  const std::string before = ReadFile(path_);
  const ino_t inode = StatOf(path_).st_ino;
  s = store.Update([](Document& d) {
    d.config.properties.Set("stonith-enabled", "true");
    return Status::Conflict("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(ReadFile(path_), before);
  EXPECT_EQ(StatOf(path_).st_ino, inode);
}

TEST_F(StoreTest, UpdateSkipsTheWriteWhenNothingChanged) {
  CibStore store(path_);
  ASSERT_TRUE(store.Save(SmallDocument()).ok());
  struct stat before = StatOf(path_);
  int calls = 0;
  ASSERT_TRUE(store
                  .Update([&](Document& d) {
                    ++calls;
                    d.config.properties.Set("stonith-enabled", "false");
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(calls, 1);
  struct stat after = StatOf(path_);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

TEST_F(StoreTest, UpdateCreatesOrRefusesAMissingFile) {
  CibStore store(path_);
  auto bump = [](Document& d) {
    ++d.versions.epoch;
    return Status::Ok();
  };
  Status s = store.Update(bump, /*create_if_missing=*/false);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(path_));
  ASSERT_TRUE(store.Update(bump).ok());
  Result<Document> doc = store.Load();
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->versions.epoch, 1);
  EXPECT_EQ(StatOf(path_).st_mode & 07777, 0600u);
  EXPECT_TRUE(Strays().empty());
}

TEST_F(StoreTest, UpdateOfCorruptFileFailsWithoutCallingMutate) {
  WriteFile(path_, "epoch: [\n");
  bool called = false;
  Status s = CibStore(path_).Update([&](Document&) {
    called = true;
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_FALSE(called);
  EXPECT_EQ(ReadFile(path_), "epoch: [\n");
}

// Read-modify-write from two processes at once loses no increment only if
// Update() holds the lock from the read to the rename.
TEST_F(StoreTest, ConcurrentUpdatesFromTwoProcessesLoseNothing) {
  constexpr int kPerProcess = 200;
  auto increment = [](Document& d) {
    long long n = 0;
    if (const std::string* v = d.config.properties.Get("counter")) {
      n = std::stoll(*v);
    }
    d.config.properties.Set("counter", std::to_string(n + 1));
    return Status::Ok();
  };
  pid_t children[2];
  for (pid_t& child : children) {
    child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      CibStore store(path_);
      for (int i = 0; i < kPerProcess; ++i) {
        if (!store.Update(increment).ok()) _exit(1);
      }
      _exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  Result<Document> doc = CibStore(path_).Load();
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string* counter = doc->config.properties.Get("counter");
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(*counter, std::to_string(2 * kPerProcess));
  EXPECT_TRUE(Strays().empty());
}

}  // namespace
}  // namespace paceline::cib
