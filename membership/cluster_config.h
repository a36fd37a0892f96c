// ClusterConfig: /etc/paceline/cluster.yaml, the static description of the
// cluster every node shares (the same file on every node).
//
// ParseClusterConfig() is pure: YAML text in, a validated ClusterConfig or
// a kInvalid/kCorrupt Status out. Every error names the file and the field
// ("cluster.yaml: nodes[1].id: duplicate id 2 (also HA-node1)"). Unknown
// keys are errors, so a typo never silently falls back to a default.
//
// A node finds its own entry with IdentifyLocalNode(): a --node override,
// else the one node that has an address of this host (like Corosync's
// bindnetaddr), so one identical file serves every node. The pure function
// takes the host's addresses as input; LocalInterfaceAddresses() is the thin
// getifaddrs() wrapper a composition root calls.
//
// Values only; no globals; safe to use from any thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace paceline::membership {

using Millis = std::chrono::milliseconds;

inline constexpr uint16_t kDefaultPort = 5405;
inline constexpr size_t kMaxNodes = 64;        // fits one heartbeat datagram
inline constexpr size_t kMaxLinksPerNode = 2;  // a primary and a redundant link
inline constexpr std::string_view kDefaultClusterConfigPath =
    "/etc/paceline/cluster.yaml";
inline constexpr std::string_view kDefaultAuthkeyPath = "/etc/paceline/authkey";

// One link of a node: "IP" or "IP:PORT" ("[v6]:PORT" for IPv6 with a port).
struct LinkAddress {
  boost::asio::ip::address ip;
  uint16_t port = 0;  // 0: the cluster's transport port
  // As written in cluster.yaml: "10.0.0.1", "10.0.0.1:5406", "[::1]:5406".
  std::string ToString() const;
  bool operator==(const LinkAddress&) const = default;
};

// Parses "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT" (a bare IPv6 address
// has no port). kInvalid with a one-line reason otherwise.
Result<LinkAddress> ParseLinkAddress(std::string_view text);

struct NodeConfig {
  std::string name;
  uint32_t id = 0;                     // >= 1, unique
  uint32_t votes = 1;                  // quorum votes
  std::vector<LinkAddress> addresses;  // 1..kMaxLinksPerNode; [1] redundant
};

// Failure detection (the detector itself is not built yet): a phi-accrual
// suspicion level, bounded below by min_timeout (no death on one late
// heartbeat) and above by max_timeout (a silent node is declared dead by
// then whatever its history), so the default detects in <= 500 ms.
struct DetectorConfig {
  double phi_threshold = 8.0;
  Millis min_timeout{300};
  Millis max_timeout{500};
};

struct QuorumConfig {
  bool two_node = false;
  std::optional<uint32_t> expected_votes;  // default: the sum of the votes
  bool wait_for_all = false;               // default: the value of two_node
};

struct ClusterConfig {
  std::string cluster_name;
  std::vector<NodeConfig> nodes;  // in file order
  uint16_t port = kDefaultPort;
  Millis heartbeat_interval{100};
  DetectorConfig failure_detection;
  QuorumConfig quorum;
  std::string authkey_path{kDefaultAuthkeyPath};

  const NodeConfig* FindNode(std::string_view name) const;
  const NodeConfig* FindNodeById(uint32_t id) const;
  // The port a link is reached on (its own, else the cluster's).
  uint16_t PortOf(const LinkAddress& link) const {
    return link.port != 0 ? link.port : port;
  }
  // expected_votes if set, else the sum of the nodes' votes.
  uint32_t ExpectedVotes() const;
};

// source names the file in error messages ("cluster.yaml: nodes[0].id: ...").
Result<ClusterConfig> ParseClusterConfig(
    std::string_view yaml_text, std::string_view source = "cluster.yaml");

// Reads and parses the file; kNotFound if it does not exist.
Result<ClusterConfig> LoadClusterConfig(const std::string& path);

// The node this process is. node_override (from --node) wins if non-empty
// and must name a node. Otherwise exactly one node must have an address in
// local_addresses (IPv6 scope ids are ignored): none is kNotFound, several
// (several nodes on one host) is kConflict; both messages say to use --node.
Result<NodeConfig> IdentifyLocalNode(
    const ClusterConfig& config,
    const std::vector<boost::asio::ip::address>& local_addresses,
    std::string_view node_override);

// The addresses of this host's interfaces (getifaddrs), IPv4 and IPv6.
Result<std::vector<boost::asio::ip::address>> LocalInterfaceAddresses();

}  // namespace paceline::membership
