// cluster.yaml: the model, defaults, every validation error (each message
// names its field), link address syntax, and local node identification.
#include "membership/cluster_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace paceline::membership {
namespace {

using ::testing::HasSubstr;
namespace ip = boost::asio::ip;

constexpr const char* kThreeNodes = R"(# a comment
cluster_name: hapg
nodes:
  - name: HA-node1
    id: 1
    addresses: [198.51.100.10, 10.0.0.10]
  - name: HA-node2
    id: 2
    addresses: ["198.51.100.11:5406"]
  - name: HA-node3
    id: 7
    votes: 2
    addresses: "[2001:db8::3]:5407"
transport:
  port: 6000
  heartbeat_interval: 50ms
failure_detection:
  phi_threshold: 10.5
  min_timeout: 200ms
  max_timeout: 1s
quorum:
  expected_votes: 4
  wait_for_all: yes
authkey: /tmp/key
)";

TEST(ClusterConfigTest, ParsesEveryField) {
  Result<ClusterConfig> c = ParseClusterConfig(kThreeNodes);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->cluster_name, "hapg");
  ASSERT_EQ(c->nodes.size(), 3u);
  EXPECT_EQ(c->nodes[0].name, "HA-node1");
  EXPECT_EQ(c->nodes[0].id, 1u);
  ASSERT_EQ(c->nodes[0].addresses.size(), 2u);
  EXPECT_EQ(c->nodes[0].addresses[1].ToString(), "10.0.0.10");
  EXPECT_EQ(c->nodes[1].addresses[0].port, 5406);
  EXPECT_EQ(c->nodes[2].id, 7u);
  EXPECT_EQ(c->nodes[2].votes, 2u);
  EXPECT_TRUE(c->nodes[2].addresses[0].ip.is_v6());
  EXPECT_EQ(c->nodes[2].addresses[0].ToString(), "[2001:db8::3]:5407");
  EXPECT_EQ(c->port, 6000);
  EXPECT_EQ(c->PortOf(c->nodes[0].addresses[0]), 6000);
  EXPECT_EQ(c->PortOf(c->nodes[1].addresses[0]), 5406);
  EXPECT_EQ(c->heartbeat_interval, Millis(50));
  EXPECT_DOUBLE_EQ(c->failure_detection.phi_threshold, 10.5);
  EXPECT_EQ(c->failure_detection.min_timeout, Millis(200));
  EXPECT_EQ(c->failure_detection.max_timeout, Millis(1000));
  EXPECT_EQ(c->ExpectedVotes(), 4u);
  EXPECT_TRUE(c->quorum.wait_for_all);
  EXPECT_FALSE(c->quorum.two_node);
  EXPECT_EQ(c->authkey_path, "/tmp/key");
  EXPECT_EQ(c->FindNodeById(7)->name, "HA-node3");
  EXPECT_EQ(c->FindNode("nope"), nullptr);
}

TEST(ClusterConfigTest, DefaultsDetectWithinHalfASecond) {
  Result<ClusterConfig> c = ParseClusterConfig(
      "cluster_name: c\nnodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->port, 5405);
  EXPECT_EQ(c->heartbeat_interval, Millis(100));
  EXPECT_LE(c->failure_detection.max_timeout, Millis(500));
  EXPECT_EQ(c->authkey_path, "/etc/paceline/authkey");
  EXPECT_EQ(c->ExpectedVotes(), 1u);
  EXPECT_FALSE(c->quorum.wait_for_all);
}

TEST(ClusterConfigTest, TwoNodeImpliesWaitForAll) {
  Result<ClusterConfig> c = ParseClusterConfig(
      "cluster_name: c\nnodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n"
      "  - {name: b, id: 2, addresses: [10.0.0.2]}\nquorum: {two_node: "
      "true}\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->quorum.two_node);
  EXPECT_TRUE(c->quorum.wait_for_all);
}

TEST(ClusterConfigTest, TheExampleFileIsValid) {
  std::ifstream in(std::string(PACELINE_SOURCE_DIR) +
                   "/docs/cluster.example.yaml");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  Result<ClusterConfig> c = ParseClusterConfig(text.str());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->nodes.size(), 2u);
}

struct BadCase {
  const char* name;
  const char* body;     // appended after a valid cluster_name line
  const char* message;  // expected substring, field first
};

constexpr const char* kNodeA = "  - {name: a, id: 1, addresses: [10.0.0.1]}\n";

const BadCase kBadCases[] = {
    {"DuplicateId",
     "nodes:\n  - {name: HA-node1, id: 2, addresses: [10.0.0.1]}\n"
     "  - {name: HA-node2, id: 2, addresses: [10.0.0.2]}\n",
     "cluster.yaml: nodes[1].id: duplicate id 2 (also HA-node1)"},
    {"DuplicateName",
     "nodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n"
     "  - {name: a, id: 2, addresses: [10.0.0.2]}\n",
     "nodes[1].name: duplicate name 'a'"},
    {"DuplicateAddress",
     "nodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n"
     "  - {name: b, id: 2, addresses: [10.0.0.3, 10.0.0.1]}\n",
     "nodes[1].addresses[1]: duplicate address 10.0.0.1 (also a)"},
    {"IdZero", "nodes:\n  - {name: a, id: 0, addresses: [10.0.0.1]}\n",
     "nodes[0].id: expected an integer from 1 to 4294967295, got '0'"},
    {"IdNotNumber", "nodes:\n  - {name: a, id: one, addresses: [10.0.0.1]}\n",
     "nodes[0].id: expected an integer"},
    {"IdTooLarge",
     "nodes:\n  - {name: a, id: 4294967296, addresses: [10.0.0.1]}\n",
     "nodes[0].id: expected an integer"},
    {"MissingId", "nodes:\n  - {name: a, addresses: [10.0.0.1]}\n",
     "nodes[0].id: missing"},
    {"MissingName", "nodes:\n  - {id: 1, addresses: [10.0.0.1]}\n",
     "nodes[0].name: missing"},
    {"BadName", "nodes:\n  - {name: 'a b', id: 1, addresses: [10.0.0.1]}\n",
     "nodes[0].name: expected 1-64 letters"},
    {"MissingAddresses", "nodes:\n  - {name: a, id: 1}\n",
     "nodes[0].addresses: missing"},
    {"EmptyAddresses", "nodes:\n  - {name: a, id: 1, addresses: []}\n",
     "nodes[0].addresses: expected 1 to 2 addresses, got 0"},
    {"ThreeAddresses",
     "nodes:\n  - {name: a, id: 1, addresses: [10.0.0.1, 10.0.0.2, "
     "10.0.0.3]}\n",
     "nodes[0].addresses: expected 1 to 2 addresses, got 3"},
    {"NotAnAddress", "nodes:\n  - {name: a, id: 1, addresses: [node1]}\n",
     "nodes[0].addresses[0]: not an IP address: 'node1'"},
    {"BadPort", "nodes:\n  - {name: a, id: 1, addresses: ['10.0.0.1:0']}\n",
     "nodes[0].addresses[0]: port must be 1-65535, got '0'"},
    {"MulticastAddress",
     "nodes:\n  - {name: a, id: 1, addresses: [239.1.1.1]}\n",
     "nodes[0].addresses[0]: not a unicast host address"},
    {"UnknownNodeKey", "nodes:\n  - {name: a, id: 1, adresses: [10.0.0.1]}\n",
     "nodes[0].adresses: unknown key"},
    {"NoNodes", "nodes: []\n", "nodes: expected a non-empty list"},
    {"MissingNodes", "transport: {port: 1}\n", "nodes: missing"},
    {"UnknownTopKey",
     "nodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n"
     "quroum: {}\n",
     "quroum: unknown key"},
    {"PortOutOfRange",
     "transport: {port: 70000}\nnodes:\n  - {name: a, id: 1, "
     "addresses: [10.0.0.1]}\n",
     "transport.port: expected an integer from 1 to 65535, got '70000'"},
    {"BadInterval",
     "transport: {heartbeat_interval: often}\nnodes:\n  - {name: a, id: 1, "
     "addresses: [10.0.0.1]}\n",
     "transport.heartbeat_interval: expected a positive duration"},
    {"IntervalTooLong",
     "transport: {heartbeat_interval: 200ms}\nnodes:\n  - {name: a, id: 1, "
     "addresses: [10.0.0.1]}\n",
     "transport.heartbeat_interval: must be at most half of "
     "failure_detection.min_timeout (300ms)"},
    {"MinAboveMax",
     "failure_detection: {min_timeout: 2s}\nnodes:\n  - {name: a, id: 1, "
     "addresses: [10.0.0.1]}\n",
     "failure_detection.min_timeout: must not exceed max_timeout (500ms)"},
    {"BadPhi",
     "failure_detection: {phi_threshold: 0.5}\nnodes:\n  - {name: a, id: 1, "
     "addresses: [10.0.0.1]}\n",
     "failure_detection.phi_threshold: expected a number from 1 to 32"},
    {"TwoNodeWithThree",
     "quorum: {two_node: true}\nnodes:\n  - {name: a, id: 1, addresses: "
     "[10.0.0.1]}\n  - {name: b, id: 2, addresses: [10.0.0.2]}\n  - {name: "
     "c, id: 3, addresses: [10.0.0.3]}\n",
     "quorum.two_node: needs exactly 2 nodes, the file has 3"},
    {"BadBool",
     "quorum: {wait_for_all: maybe}\nnodes:\n  - {name: a, id: 1, addresses: "
     "[10.0.0.1]}\n",
     "quorum.wait_for_all: expected true or false, got 'maybe'"},
    {"ExpectedVotesZero",
     "quorum: {expected_votes: 0}\nnodes:\n  - {name: a, id: 1, addresses: "
     "[10.0.0.1]}\n",
     "quorum.expected_votes: expected an integer from 1"},
    {"QuorumNotAMap",
     "quorum: yes\nnodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n",
     "quorum: expected a map, got 'yes'"},
    {"RelativeAuthkey",
     "authkey: authkey\nnodes:\n  - {name: a, id: 1, addresses: [10.0.0.1]}\n",
     "authkey: expected an absolute path, got 'authkey'"},
    {"NoVotes",
     "nodes:\n  - {name: a, id: 1, votes: 0, addresses: [10.0.0.1]}\n",
     "nodes: no node has a vote"},
};

class BadConfigTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, NamesTheField) {
  const BadCase& c = GetParam();
  std::string text = std::string("cluster_name: hapg\n") + c.body;
  Result<ClusterConfig> r = ParseClusterConfig(text);
  ASSERT_FALSE(r.ok()) << c.name;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid);
  EXPECT_THAT(r.status().message(), HasSubstr(c.message));
  EXPECT_THAT(r.status().message(), ::testing::StartsWith("cluster.yaml: "));
}

INSTANTIATE_TEST_SUITE_P(AllErrors, BadConfigTest,
                         ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ClusterConfigTest, MissingClusterName) {
  Result<ClusterConfig> r =
      ParseClusterConfig(std::string("nodes:\n") + kNodeA);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("cluster_name: missing"));
}

TEST(ClusterConfigTest, YamlSyntaxErrorHasPosition) {
  Result<ClusterConfig> r =
      ParseClusterConfig("cluster_name: [unclosed\n", "/etc/x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("/etc/x.yaml: line"));
}

TEST(ClusterConfigTest, LoadMissingFileIsNotFound) {
  Result<ClusterConfig> r = LoadClusterConfig("/nonexistent/cluster.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(LinkAddressTest, Forms) {
  EXPECT_EQ(ParseLinkAddress("10.1.2.3")->port, 0);
  EXPECT_EQ(ParseLinkAddress("10.1.2.3:99")->port, 99);
  EXPECT_TRUE(ParseLinkAddress("::1")->ip.is_loopback());
  EXPECT_EQ(ParseLinkAddress("[::1]")->port, 0);
  EXPECT_EQ(ParseLinkAddress("[fe80::1]:7")->port, 7);
  for (const char* bad :
       {"", "10.1.2.3:", "[::1", "[::1]x", "[::1]:", "1.2.3", "10.0.0.1:65536",
        "10.0.0.1:-1", "0.0.0.0", "::", "host:1"}) {
    EXPECT_FALSE(ParseLinkAddress(bad).ok()) << bad;
  }
}

class LocalNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<ClusterConfig> c = ParseClusterConfig(kThreeNodes);
    ASSERT_TRUE(c.ok());
    config_ = *c;
  }
  ClusterConfig config_;
};

TEST_F(LocalNodeTest, MatchesAnyLinkOfOneNode) {
  std::vector<ip::address> local{ip::make_address("127.0.0.1"),
                                 ip::make_address("10.0.0.10")};
  Result<NodeConfig> n = IdentifyLocalNode(config_, local, "");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->name, "HA-node1");
}

TEST_F(LocalNodeTest, IgnoresIpv6ScopeId) {
  std::vector<ip::address> local{
      ip::address_v6(ip::make_address_v6("2001:db8::3").to_bytes(), 3)};
  Result<NodeConfig> n = IdentifyLocalNode(config_, local, "");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->name, "HA-node3");
}

TEST_F(LocalNodeTest, NoMatchSaysUseNode) {
  Result<NodeConfig> n =
      IdentifyLocalNode(config_, {ip::make_address("127.0.0.1")}, "");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(n.status().message(), HasSubstr("127.0.0.1"));
  EXPECT_THAT(n.status().message(), HasSubstr("--node NAME"));
}

TEST_F(LocalNodeTest, SeveralMatchesAreAConflict) {
  std::vector<ip::address> local{ip::make_address("198.51.100.10"),
                                 ip::make_address("198.51.100.11")};
  Result<NodeConfig> n = IdentifyLocalNode(config_, local, "");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kConflict);
  EXPECT_THAT(n.status().message(), HasSubstr("HA-node1, HA-node2"));
}

TEST_F(LocalNodeTest, OverrideWins) {
  std::vector<ip::address> local{ip::make_address("198.51.100.10")};
  Result<NodeConfig> n = IdentifyLocalNode(config_, local, "HA-node2");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->id, 2u);
  Result<NodeConfig> bad = IdentifyLocalNode(config_, local, "HA-node9");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("HA-node1, HA-node2, HA-node3"));
}

TEST(LocalInterfaceAddressesTest, IncludesLoopback) {
  Result<std::vector<ip::address>> a = LocalInterfaceAddresses();
  ASSERT_TRUE(a.ok()) << a.status().message();
  bool loopback = false;
  for (const auto& addr : *a) loopback = loopback || addr.is_loopback();
  EXPECT_TRUE(loopback);
}

}  // namespace
}  // namespace paceline::membership
