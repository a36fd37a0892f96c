// cluster.yaml: YAML -> boost::json tree (cib::YamlToJson, where every
// scalar is a string) -> ClusterConfig, field by field, each error carrying
// the path of the field it is about. Cross-field checks (duplicate ids,
// names and addresses; timing relations; quorum settings) run after every
// field parsed, so the first error is always the most local one.
#include "membership/cluster_config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cib/duration.h"
#include "cib/yaml_codec.h"
#include "common/strings.h"

namespace paceline::membership {
namespace {

namespace json = boost::json;
namespace ip = boost::asio::ip;

// A field's path and the source prefix, for error messages.
class Ctx {
 public:
  explicit Ctx(std::string_view source) : source_(source) {}
  Status Invalid(const std::string& field, const std::string& msg) const {
    return Status::Invalid(source_ + ": " + field + ": " + msg);
  }

 private:
  std::string source_;
};

std::string Describe(const json::value& v) {
  if (v.is_null()) return "nothing";
  if (v.is_object()) return "a map";
  if (v.is_array()) return "a list";
  return Quote(v.as_string());
}

Result<std::string> GetString(const Ctx& c, const std::string& field,
                              const json::value& v) {
  if (!v.is_string())
    return c.Invalid(field, "expected a value, got " + Describe(v));
  return std::string(v.as_string());
}

Result<uint64_t> GetUInt(const Ctx& c, const std::string& field,
                         const json::value& v, uint64_t min, uint64_t max) {
  PL_ASSIGN_OR_RETURN(std::string s, GetString(c, field, v));
  long long n = 0;
  if (!ParseInt64(s, &n) || n < 0 || uint64_t(n) < min || uint64_t(n) > max) {
    return c.Invalid(field, "expected an integer from " + std::to_string(min) +
                                " to " + std::to_string(max) + ", got " +
                                Quote(s));
  }
  return uint64_t(n);
}

Result<bool> GetBool(const Ctx& c, const std::string& field,
                     const json::value& v) {
  PL_ASSIGN_OR_RETURN(std::string s, GetString(c, field, v));
  bool b = false;
  if (!ParseBool(s, &b)) {
    return c.Invalid(field, "expected true or false, got " + Quote(s));
  }
  return b;
}

Result<Millis> GetDuration(const Ctx& c, const std::string& field,
                           const json::value& v) {
  PL_ASSIGN_OR_RETURN(std::string s, GetString(c, field, v));
  Result<cib::Millis> d = cib::ParseInterval(s);
  if (!d.ok() || d->count() <= 0) {
    return c.Invalid(field,
                     "expected a positive duration such as 100ms or "
                     "1s, got " +
                         Quote(s));
  }
  return *d;
}

// Rejects keys outside `known` (typos must not silently become defaults).
Status CheckKeys(const Ctx& c, const std::string& field, const json::object& o,
                 std::initializer_list<std::string_view> known) {
  for (const auto& kv : o) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      std::string path = field.empty() ? std::string(kv.key())
                                       : field + "." + std::string(kv.key());
      return c.Invalid(path, "unknown key (expected one of: " +
                                 Join({known.begin(), known.end()}, ", ") +
                                 ")");
    }
  }
  return Status::Ok();
}

Result<const json::object*> GetMap(const Ctx& c, const std::string& field,
                                   const json::value& v) {
  if (!v.is_object())
    return c.Invalid(field, "expected a map, got " + Describe(v));
  return &v.as_object();
}

bool IsValidName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' ||
           ch == '_' || ch == '.';
  });
}

Result<std::string> GetName(const Ctx& c, const std::string& field,
                            const json::value& v) {
  PL_ASSIGN_OR_RETURN(std::string s, GetString(c, field, v));
  if (!IsValidName(s)) {
    return c.Invalid(field,
                     "expected 1-64 letters, digits, '-', '_' or '.', "
                     "got " +
                         Quote(s));
  }
  return s;
}

Status ParseAddresses(const Ctx& c, const std::string& field,
                      const json::value& v, NodeConfig* node) {
  std::vector<const json::value*> items;
  if (v.is_string()) {
    items.push_back(&v);
  } else if (v.is_array()) {
    for (const auto& item : v.as_array()) items.push_back(&item);
  } else {
    return c.Invalid(field, "expected an address or a list of addresses");
  }
  if (items.empty() || items.size() > kMaxLinksPerNode) {
    return c.Invalid(field,
                     "expected 1 to " + std::to_string(kMaxLinksPerNode) +
                         " addresses, got " + std::to_string(items.size()));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    std::string f = field + "[" + std::to_string(i) + "]";
    PL_ASSIGN_OR_RETURN(std::string s, GetString(c, f, *items[i]));
    Result<LinkAddress> link = ParseLinkAddress(s);
    if (!link.ok()) return c.Invalid(f, link.status().message());
    node->addresses.push_back(*link);
  }
  return Status::Ok();
}

Result<NodeConfig> ParseNode(const Ctx& c, const std::string& field,
                             const json::value& v) {
  PL_ASSIGN_OR_RETURN(const json::object* o, GetMap(c, field, v));
  PL_RETURN_IF_ERROR(
      CheckKeys(c, field, *o, {"name", "id", "votes", "addresses"}));
  NodeConfig node;
  for (const char* required : {"name", "id", "addresses"}) {
    if (!o->contains(required)) {
      return c.Invalid(field + "." + required, "missing");
    }
  }
  PL_ASSIGN_OR_RETURN(node.name, GetName(c, field + ".name", o->at("name")));
  PL_ASSIGN_OR_RETURN(uint64_t id,
                      GetUInt(c, field + ".id", o->at("id"), 1, UINT32_MAX));
  node.id = uint32_t(id);
  if (o->contains("votes")) {
    PL_ASSIGN_OR_RETURN(uint64_t votes,
                        GetUInt(c, field + ".votes", o->at("votes"), 0, 255));
    node.votes = uint32_t(votes);
  }
  PL_RETURN_IF_ERROR(
      ParseAddresses(c, field + ".addresses", o->at("addresses"), &node));
  return node;
}

Status ParseNodes(const Ctx& c, const json::value& v, ClusterConfig* config) {
  if (!v.is_array() || v.as_array().empty()) {
    return c.Invalid("nodes", "expected a non-empty list of nodes");
  }
  if (v.as_array().size() > kMaxNodes) {
    return c.Invalid("nodes", "at most " + std::to_string(kMaxNodes) +
                                  " nodes, got " +
                                  std::to_string(v.as_array().size()));
  }
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    std::string field = "nodes[" + std::to_string(i) + "]";
    PL_ASSIGN_OR_RETURN(NodeConfig node, ParseNode(c, field, v.as_array()[i]));
    config->nodes.push_back(std::move(node));
  }
  return Status::Ok();
}

Status ParseTransport(const Ctx& c, const json::value& v,
                      ClusterConfig* config) {
  PL_ASSIGN_OR_RETURN(const json::object* o, GetMap(c, "transport", v));
  PL_RETURN_IF_ERROR(
      CheckKeys(c, "transport", *o, {"port", "heartbeat_interval"}));
  if (o->contains("port")) {
    PL_ASSIGN_OR_RETURN(uint64_t port,
                        GetUInt(c, "transport.port", o->at("port"), 1, 65535));
    config->port = uint16_t(port);
  }
  if (o->contains("heartbeat_interval")) {
    PL_ASSIGN_OR_RETURN(config->heartbeat_interval,
                        GetDuration(c, "transport.heartbeat_interval",
                                    o->at("heartbeat_interval")));
  }
  return Status::Ok();
}

Status ParseDetector(const Ctx& c, const json::value& v, DetectorConfig* d) {
  const std::string f = "failure_detection";
  PL_ASSIGN_OR_RETURN(const json::object* o, GetMap(c, f, v));
  PL_RETURN_IF_ERROR(
      CheckKeys(c, f, *o, {"phi_threshold", "min_timeout", "max_timeout"}));
  if (o->contains("phi_threshold")) {
    PL_ASSIGN_OR_RETURN(std::string s, GetString(c, f + ".phi_threshold",
                                                 o->at("phi_threshold")));
    char* end = nullptr;
    double phi = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !(phi >= 1.0 && phi <= 32.0)) {
      return c.Invalid(f + ".phi_threshold",
                       "expected a number from 1 to 32, got " + Quote(s));
    }
    d->phi_threshold = phi;
  }
  if (o->contains("min_timeout")) {
    PL_ASSIGN_OR_RETURN(d->min_timeout, GetDuration(c, f + ".min_timeout",
                                                    o->at("min_timeout")));
  }
  if (o->contains("max_timeout")) {
    PL_ASSIGN_OR_RETURN(d->max_timeout, GetDuration(c, f + ".max_timeout",
                                                    o->at("max_timeout")));
  }
  return Status::Ok();
}

Status ParseQuorum(const Ctx& c, const json::value& v, QuorumConfig* q) {
  PL_ASSIGN_OR_RETURN(const json::object* o, GetMap(c, "quorum", v));
  PL_RETURN_IF_ERROR(CheckKeys(c, "quorum", *o,
                               {"two_node", "expected_votes", "wait_for_all"}));
  if (o->contains("two_node")) {
    PL_ASSIGN_OR_RETURN(q->two_node,
                        GetBool(c, "quorum.two_node", o->at("two_node")));
  }
  q->wait_for_all = q->two_node;
  if (o->contains("wait_for_all")) {
    PL_ASSIGN_OR_RETURN(q->wait_for_all, GetBool(c, "quorum.wait_for_all",
                                                 o->at("wait_for_all")));
  }
  if (o->contains("expected_votes")) {
    PL_ASSIGN_OR_RETURN(uint64_t ev,
                        GetUInt(c, "quorum.expected_votes",
                                o->at("expected_votes"), 1, kMaxNodes * 255));
    q->expected_votes = uint32_t(ev);
  }
  return Status::Ok();
}

// Duplicates across nodes: ids, names, and (address, port) pairs.
Status CheckUniqueness(const Ctx& c, const ClusterConfig& config) {
  std::map<uint32_t, const NodeConfig*> ids;
  std::map<std::string, const NodeConfig*> names;
  std::map<std::pair<ip::address, uint16_t>, const NodeConfig*> links;
  for (size_t i = 0; i < config.nodes.size(); ++i) {
    const NodeConfig& n = config.nodes[i];
    std::string field = "nodes[" + std::to_string(i) + "]";
    if (auto [it, fresh] = names.emplace(n.name, &n); !fresh) {
      return c.Invalid(field + ".name", "duplicate name " + Quote(n.name));
    }
    if (auto [it, fresh] = ids.emplace(n.id, &n); !fresh) {
      return c.Invalid(field + ".id", "duplicate id " + std::to_string(n.id) +
                                          " (also " + it->second->name + ")");
    }
    for (size_t k = 0; k < n.addresses.size(); ++k) {
      const LinkAddress& a = n.addresses[k];
      auto [it, fresh] = links.emplace(std::pair(a.ip, config.PortOf(a)), &n);
      if (!fresh) {
        return c.Invalid(field + ".addresses[" + std::to_string(k) + "]",
                         "duplicate address " + a.ToString() + " (also " +
                             it->second->name + ")");
      }
    }
  }
  return Status::Ok();
}

Status CheckRelations(const Ctx& c, const ClusterConfig& config) {
  PL_RETURN_IF_ERROR(CheckUniqueness(c, config));
  const DetectorConfig& d = config.failure_detection;
  if (d.min_timeout > d.max_timeout) {
    return c.Invalid("failure_detection.min_timeout",
                     "must not exceed max_timeout (" +
                         std::to_string(d.max_timeout.count()) + "ms)");
  }
  if (config.heartbeat_interval * 2 > d.min_timeout) {
    return c.Invalid("transport.heartbeat_interval",
                     "must be at most half of failure_detection.min_timeout (" +
                         std::to_string(d.min_timeout.count()) + "ms)");
  }
  if (config.quorum.two_node && config.nodes.size() != 2) {
    return c.Invalid("quorum.two_node",
                     "needs exactly 2 nodes, the file has " +
                         std::to_string(config.nodes.size()));
  }
  uint32_t total = 0;
  for (const NodeConfig& n : config.nodes) total += n.votes;
  if (total == 0) return c.Invalid("nodes", "no node has a vote");
  return Status::Ok();
}

Status ParseTop(const Ctx& c, const json::value& root, ClusterConfig* config) {
  PL_ASSIGN_OR_RETURN(const json::object* o, GetMap(c, "(top level)", root));
  PL_RETURN_IF_ERROR(CheckKeys(c, "", *o,
                               {"cluster_name", "nodes", "transport",
                                "failure_detection", "quorum", "authkey"}));
  if (!o->contains("cluster_name")) return c.Invalid("cluster_name", "missing");
  if (!o->contains("nodes")) return c.Invalid("nodes", "missing");
  PL_ASSIGN_OR_RETURN(config->cluster_name,
                      GetName(c, "cluster_name", o->at("cluster_name")));
  PL_RETURN_IF_ERROR(ParseNodes(c, o->at("nodes"), config));
  if (o->contains("transport")) {
    PL_RETURN_IF_ERROR(ParseTransport(c, o->at("transport"), config));
  }
  if (o->contains("failure_detection")) {
    PL_RETURN_IF_ERROR(ParseDetector(c, o->at("failure_detection"),
                                     &config->failure_detection));
  }
  if (o->contains("quorum")) {
    PL_RETURN_IF_ERROR(ParseQuorum(c, o->at("quorum"), &config->quorum));
  }
  if (o->contains("authkey")) {
    PL_ASSIGN_OR_RETURN(config->authkey_path,
                        GetString(c, "authkey", o->at("authkey")));
    if (config->authkey_path.empty() || config->authkey_path[0] != '/') {
      return c.Invalid("authkey", "expected an absolute path, got " +
                                      Quote(config->authkey_path));
    }
  }
  return CheckRelations(c, *config);
}

ip::address WithoutScope(ip::address a) {
  if (a.is_v6()) {
    ip::address_v6 v6 = a.to_v6();
    v6.scope_id(0);
    return v6;
  }
  return a;
}

}  // namespace

std::string LinkAddress::ToString() const {
  std::string host = ip.to_string();
  if (port == 0) return host;
  if (ip.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

Result<LinkAddress> ParseLinkAddress(std::string_view text) {
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status::Invalid("missing ']' in " + Quote(text));
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return Status::Invalid("expected ':PORT' after ']' in " + Quote(text));
    }
    if (!rest.empty()) port = rest.substr(1);
    if (!rest.empty() && port.empty()) {
      return Status::Invalid("empty port in " + Quote(text));
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return Status::Invalid("empty port in " + Quote(text));
  }
  boost::system::error_code ec;
  ip::address addr = ip::make_address(std::string(host), ec);
  if (ec) return Status::Invalid("not an IP address: " + Quote(host));
  if (addr.is_unspecified() || addr.is_multicast()) {
    return Status::Invalid("not a unicast host address: " + Quote(host));
  }
  LinkAddress link{addr, 0};
  if (!port.empty()) {
    long long p = 0;
    if (!ParseInt64(port, &p) || p < 1 || p > 65535 || port[0] == '+') {
      return Status::Invalid("port must be 1-65535, got " + Quote(port));
    }
    link.port = uint16_t(p);
  }
  return link;
}

const NodeConfig* ClusterConfig::FindNode(std::string_view name) const {
  for (const NodeConfig& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const NodeConfig* ClusterConfig::FindNodeById(uint32_t id) const {
  for (const NodeConfig& n : nodes) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

uint32_t ClusterConfig::ExpectedVotes() const {
  if (quorum.expected_votes) return *quorum.expected_votes;
  uint32_t total = 0;
  for (const NodeConfig& n : nodes) total += n.votes;
  return total;
}

Result<ClusterConfig> ParseClusterConfig(std::string_view yaml_text,
                                         std::string_view source) {
  Ctx c(source);
  Result<json::value> tree = cib::YamlToJson(yaml_text);
  if (!tree.ok()) {
    return tree.status().WithContext(std::string(source));
  }
  ClusterConfig config;
  PL_RETURN_IF_ERROR(ParseTop(c, *tree, &config));
  return config;
}

Result<ClusterConfig> LoadClusterConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return Status::NotFound(path +
                              " not found: create one with `paceline "
                              "cluster setup`");
    }
    return Status::Io(path + ": cannot open: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Io(path + ": read failed");
  return ParseClusterConfig(text.str(), path);
}

Result<NodeConfig> IdentifyLocalNode(const ClusterConfig& config,
                                     const std::vector<ip::address>& local,
                                     std::string_view node_override) {
  if (!node_override.empty()) {
    if (const NodeConfig* n = config.FindNode(node_override)) return *n;
    std::vector<std::string> names;
    for (const NodeConfig& n : config.nodes) names.push_back(n.name);
    return Status::NotFound(
        "--node " + Quote(node_override) +
        ": no such node in cluster.yaml (nodes: " + Join(names, ", ") + ")");
  }
  std::set<ip::address> mine;
  for (const ip::address& a : local) mine.insert(WithoutScope(a));
  std::vector<const NodeConfig*> matches;
  for (const NodeConfig& n : config.nodes) {
    bool match = std::any_of(
        n.addresses.begin(), n.addresses.end(),
        [&](const LinkAddress& l) { return mine.count(WithoutScope(l.ip)); });
    if (match) matches.push_back(&n);
  }
  if (matches.size() == 1) return *matches[0];
  if (matches.empty()) {
    std::vector<std::string> addrs;
    for (const ip::address& a : mine) addrs.push_back(a.to_string());
    return Status::NotFound(
        "no node in cluster.yaml has an address of this host (local "
        "addresses: " +
        Join(addrs, ", ") + "); use --node NAME");
  }
  std::vector<std::string> names;
  for (const NodeConfig* n : matches) names.push_back(n->name);
  return Status::Conflict(
      "several nodes in cluster.yaml have addresses of "
      "this host (" +
      Join(names, ", ") + "); use --node NAME");
}

Result<std::vector<ip::address>> LocalInterfaceAddresses() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    return Status::Io(std::string("getifaddrs failed: ") +
                      std::strerror(errno));
  }
  std::vector<ip::address> out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      ip::address_v4::bytes_type b;
      std::memcpy(b.data(), &sin->sin_addr, b.size());
      out.push_back(ip::address_v4(b));
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      ip::address_v6::bytes_type b;
      std::memcpy(b.data(), &sin6->sin6_addr, b.size());
      out.push_back(ip::address_v6(b, sin6->sin6_scope_id));
    }
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace paceline::membership
