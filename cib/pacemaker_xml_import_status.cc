// Pacemaker's status section -> ClusterStatus, deciding what Pacemaker 2.1's
// scheduler decides when it unpacks the same XML:
//   - node_state (in_ccm, crmd, join, expected, the shutdown/terminate
//     attributes) -> online, offline, pending or unclean, with and without
//     fencing (lib/pengine's determine_online_status_*);
//   - each lrm_resource's operation history, replayed in call-id order ->
//     the role on that node and whether its last operation failed;
//   - transient_attributes -> fail counts (fail-count-RSC#OP_INTERVAL summed
//     per resource), last failures, and the other attributes (promotion
//     scores master-RSC, ...) kept as node attributes.
// Anonymous clone instances are recorded under the primitive's id (as
// Pacemaker 2.x records them); "rsc:N" from older CIBs is mapped to it.
// Globally unique clone instances keep "rsc:N".
#include <algorithm>

#include "cib/config_index.h"
#include "cib/pacemaker_xml_internal.h"
#include "common/flat_index.h"
#include "common/strings.h"

namespace paceline::cib::pacemaker {

namespace {

bool IsTrue(std::optional<std::string_view> v) {
  if (!v) return false;
  bool b = false;
  if (ParseBool(*v, &b)) return b;
  // Pacemaker 2.1.7+ writes the time the node joined instead of "true".
  long long t = 0;
  return ParseInt64(*v, &t) && t > 0;
}

bool IsCrmdOnline(std::optional<std::string_view> v) {
  if (!v) return false;
  long long t = 0;
  return IEquals(*v, "online") || (ParseInt64(*v, &t) && t > 0);
}

bool IsSet(const Attributes& attrs, std::string_view name) {
  const std::string* v = attrs.Get(name);
  if (!v || v->empty()) return false;
  bool b = false;
  if (ParseBool(*v, &b)) return b;
  return (*v)[0] != '0' && std::isdigit(static_cast<unsigned char>((*v)[0]));
}

struct Membership {
  std::optional<std::string_view> in_ccm;
  bool in_cluster;
  bool crmd_online;
  std::string join;
  std::string expected;
};

NodeState WithoutFencing(const Membership& m, bool expected_up) {
  if (!m.in_cluster) return NodeState::kOffline;
  if (m.crmd_online) {
    return IEquals(m.join, "member") ? NodeState::kOnline : NodeState::kOffline;
  }
  return expected_up ? NodeState::kUnclean : NodeState::kOffline;
}

NodeState WithFencing(const Membership& m, bool terminate) {
  std::string expected = m.expected.empty() ? "down" : m.expected;
  if (!m.in_ccm) return NodeState::kUnclean;  // never seen by the cluster
  if (IEquals(m.join, "banned")) return NodeState::kUnclean;
  if (!terminate && IEquals(expected, "down")) {
    return m.in_cluster || m.crmd_online ? NodeState::kPending
                                         : NodeState::kOffline;
  }
  if (terminate && IEquals(m.join, "down") && !m.in_cluster && !m.crmd_online) {
    return NodeState::kOffline;  // just fenced
  }
  if (!m.in_cluster || !m.crmd_online || terminate) return NodeState::kUnclean;
  if (IEquals(m.join, "member")) return NodeState::kOnline;
  if (IEquals(m.join, "pending") || IEquals(m.join, "down")) {
    return NodeState::kPending;
  }
  return NodeState::kUnclean;
}

NodeState DecideState(const Tree& ns, const Attributes& attrs, bool fencing,
                      ImportContext& ctx, const std::string& node) {
  Membership m{Attr(ns, "in_ccm"), IsTrue(Attr(ns, "in_ccm")),
               IsCrmdOnline(Attr(ns, "crmd")), AttrOr(ns, "join"),
               AttrOr(ns, "expected")};
  bool shutdown = attrs.Get("shutdown") && *attrs.Get("shutdown") != "0";
  if (shutdown) {
    ctx.Note("status: node " + node +
             " is shutting down (shutdown attribute); kept as an attribute");
    if (fencing)
      return m.crmd_online ? NodeState::kOnline : NodeState::kOffline;
  }
  bool expected_up = !shutdown && IEquals(m.expected, "member");
  if (!fencing) return WithoutFencing(m, expected_up);
  return WithFencing(m, IsSet(attrs, "terminate"));
}

// ---- Operation history.

int Rank(Role r) {
  switch (r) {
    case Role::kUnknown:
      return 0;
    case Role::kStopped:
      return 1;
    case Role::kPromoted:
      return 3;
    default:
      return 2;
  }
}

using Op = OpRecord;

// ParseInt64 with a short cut for the plain decimals the status is full of
// (an lrm_rsc_op has six of them; 200,000 in a large CIB).
bool ToInt(std::string_view s, long long* out) {
  if (s.empty() || s.size() > 18) return ParseInt64(s, out);
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return ParseInt64(s, out);
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

int IntOr(std::string_view s, int fallback) {
  long long v = 0;
  return ToInt(s, &v) ? int(v) : fallback;
}

// transition-key: ACTION:TRANSITION:TARGET_RC:UUID -> TARGET_RC, or -1.
int TargetRc(std::string_view key) {
  size_t colons = 0, begin = 0, i = 0;
  for (; i < key.size(); ++i) {
    if (key[i] != ':') continue;
    if (++colons == 2) begin = i + 1;
    if (colons == 3) break;
  }
  if (colons < 2) return -1;
  long long v = 0;
  return ToInt(key.substr(begin, i - begin), &v) ? int(v) : -1;
}

}  // namespace

// An lrm_rsc_op takes 400 to 600 bytes of text; reserving for one per 300
// never copies the records as they come, and what is not used is never
// touched (a heap page costs its zeroing on first touch, a large part of
// a simulate on a big CIB).
OpCollector::OpCollector(std::string_view text) : text_(text) {
  ops_.reserve(text.size() / 300 + 16);
}

std::string_view OpCollector::Keep(std::string_view value) {
  if (value.empty()) return {};
  const char* begin = text_.data();
  if (value.data() >= begin &&
      value.data() + value.size() <= begin + text_.size()) {
    return value;
  }
  return copies_.emplace_back(value);
}

// Called for each of the ~18 attributes of every lrm_rsc_op: dispatched on
// the name's length first, so most names cost one comparison.
void OpCollector::OnAttribute(uint32_t element, const xml::Attribute& a) {
  if (ops_.empty() || ops_.back().element != element) {
    ops_.emplace_back().element = element;
  }
  OpRecord& op = ops_.back();
  std::string_view name = a.name, value = a.value;
  long long v = 0;
  // The first byte tells apart the names of one length (op-digest and
  // exec-time, also 9 long, are not wanted).
  switch (name.size()) {
    case 7:
      if (name[0] == 'r' && name == "rc-code") {
        op.rc = IntOr(value, 0);
      } else if (name[0] == 'c' && name == "call-id" && ToInt(value, &v)) {
        op.call_id = v;
      }
      break;
    case 8:
      if (name == "interval" && ToInt(value, &v)) op.interval_ms = v;
      break;
    case 9:
      if (name[0] != 'o') break;
      if (name == "operation") {
        op.task = Keep(value);
      } else if (name == "op-status") {
        op.op_status = IntOr(value, 0);
      }
      break;
    case 11:
      if (name == "exit-reason") op.exit_reason = Keep(value);
      break;
    case 14:
      if (name[0] == 't' && name == "transition-key") {
        op.target = TargetRc(value);
      } else if (name[0] == 'l' && name == "last-rc-change" &&
                 ToInt(value, &v)) {
        op.last_rc_change = v;
      }
      break;
    default:
      break;
  }
}

const OpRecord& OpCollector::Find(const Tree& e) const {
  static const OpRecord kNone;
  uint32_t index = e.index();
  // The import asks in document order: the next record is usually it.
  if (next_ < ops_.size() && ops_[next_].element == index) {
    return ops_[next_++];
  }
  auto it = std::lower_bound(
      ops_.begin(), ops_.end(), index,
      [](const OpRecord& op, uint32_t at) { return op.element < at; });
  if (it == ops_.end() || it->element != index) return kNone;
  next_ = size_t(it - ops_.begin()) + 1;
  return *it;
}

namespace {

bool Succeeded(const Op& op) {
  if (op.op_status != 0) return false;
  bool probe = op.task == "monitor" && op.interval_ms == 0;
  if (probe) return op.rc == 0 || op.rc == 7 || op.rc == 8;
  if (op.target >= 0) return op.rc == op.target;
  return op.rc == 0 || (op.task == "monitor" && op.rc == 8);
}

std::string RcText(int rc) {
  static const char* kText[] = {"ok",
                                "error",
                                "invalid parameter",
                                "unimplemented feature",
                                "insufficient privileges",
                                "not installed",
                                "not configured",
                                "not running",
                                "promoted",
                                "promoted (failed)"};
  if (rc >= 0 && rc < 10) return kText[rc];
  return "unknown (" + std::to_string(rc) + ")";
}

std::string OpStatusText(int op_status) {
  switch (op_status) {
    case 2:
      return "timeout";
    case 3:
      return "not supported";
    case 5:
      return "hard error";
    case 6:
      return "fatal error";
    case 7:
      return "not installed";
    case 8:
      return "not connected";
    case 9:
      return "invalid";
    default:
      return "error";
  }
}

struct History {
  Role role = Role::kUnknown;
  bool failed = false;
  long long failed_interval = -1;
};

void ApplySuccess(const Op& op, History& h, bool* migration) {
  std::string_view t = op.task;
  if (t == "start" || t == "migrate_from") {
    h.role = Role::kStarted;
  } else if (t == "stop") {
    h.role = Role::kStopped;
  } else if (t == "migrate_to") {
    h.role = Role::kStopped;
    *migration = true;
  } else if (t == "promote") {
    h.role = Role::kPromoted;
  } else if (t == "demote") {
    h.role = Role::kUnpromoted;
  } else if (t == "monitor") {
    if (op.rc == 7) {
      h.role = Role::kStopped;
    } else if (op.rc == 8) {
      h.role = Role::kPromoted;
    } else if (Rank(h.role) < 2) {
      h.role = Role::kStarted;
    }
    if (op.interval_ms != h.failed_interval && op.rc != 7) return;
  } else {
    return;  // notify, reload, meta-data: no change of state
  }
  h.failed = false;
  h.failed_interval = -1;
}

void ApplyFailure(const Op& op, History& h) {
  h.failed = true;
  h.failed_interval = op.task == "monitor" ? op.interval_ms : -1;
  bool probe = op.task == "monitor" && op.interval_ms == 0;
  if (op.task == "promote" || op.rc == 9) {
    h.role = Role::kPromoted;
  } else if (op.task == "demote") {
    h.role = op.rc == 7 ? Role::kStopped : Role::kUnpromoted;
  } else if (probe && op.rc == 5) {
    h.role = Role::kStopped;  // not installed: nothing runs there
  } else if (Rank(h.role) < 2) {
    h.role = Role::kStarted;  // a failed operation leaves it possibly active
  }
}

WallTime FromEpoch(long long seconds) {
  return WallTime(std::chrono::seconds(seconds));
}

struct NodeCtx {
  const ConfigIndex* config;
  ImportContext* ctx;
  const std::string* node;
  ClusterStatus* status;
  std::vector<const Op*>* ops;  // scratch for Replay
};

// The id a resource's history is kept under in our status: lrm_id or a
// prefix of it.
std::string_view StatusId(const ConfigIndex& config, std::string_view lrm_id) {
  if (config.Find(lrm_id)) return lrm_id;
  size_t colon = lrm_id.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      lrm_id.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return lrm_id;
  }
  std::string_view base = lrm_id.substr(0, colon);
  if (!config.Find(base)) return lrm_id;
  CloneInfo ci = CloneOfPrimitive(config, base);
  return ci.clone && ci.unique ? lrm_id : base;
}

void RecordFailure(NodeCtx& n, std::string_view id, const Op& op) {
  FailedAction f;
  f.resource = std::string(id);
  f.node = *n.node;
  f.action = std::string(op.task);
  f.interval_ms = op.interval_ms;
  f.rc = op.rc;
  f.status = OpStatusText(op.op_status);
  f.reason = std::string(op.exit_reason);
  if (f.reason.empty()) f.reason = RcText(op.rc);
  if (op.last_rc_change != Op::kNoRcChange) {
    f.at = FromEpoch(op.last_rc_change);
  }
  for (const auto& other : n.status->failures) {
    if (other == f) return;
  }
  n.status->failures.push_back(std::move(f));
}

std::optional<History> Replay(NodeCtx& n, std::string_view id,
                              const Tree& lrm_resource) {
  std::vector<const Op*>& ops = *n.ops;
  ops.clear();
  for (const auto& [key, e] : lrm_resource) {
    if (key == "lrm_rsc_op") ops.push_back(&n.ctx->ops->Find(e));
  }
  // Pending operations (call-id -1) are the newest. A stable insertion
  // sort: a resource has a handful of records, and std::stable_sort would
  // allocate a buffer for each of tens of thousands of them.
  auto key = [](const Op* op) {
    return op->call_id < 0 ? LLONG_MAX : op->call_id;
  };
  for (size_t i = 1; i < ops.size(); ++i) {
    const Op* op = ops[i];
    size_t j = i;
    for (; j > 0 && key(ops[j - 1]) > key(op); --j) ops[j] = ops[j - 1];
    ops[j] = op;
  }
  History h;
  bool migration = false;
  for (const Op* each : ops) {
    const Op& op = *each;
    if (op.op_status == 1) continue;  // cancelled
    if (op.op_status == -1 || op.call_id < 0) {
      if (op.task == "start" || op.task == "migrate_from")
        h.role = Role::kStarted;
      if (op.task == "promote") h.role = Role::kPromoted;
      if (op.task == "demote") h.role = Role::kUnpromoted;
      continue;
    }
    if (Succeeded(op)) {
      ApplySuccess(op, h, &migration);
    } else {
      ApplyFailure(op, h);
      RecordFailure(n, id, op);
    }
  }
  if (migration) {
    n.ctx->Note("status: " + std::string(id) + " on " + *n.node +
                ": live migration history read as a stop on the source");
  }
  if (h.role == Role::kUnknown) return std::nullopt;
  return h;
}

void ImportLrm(NodeCtx& n, const Tree& node_state, NodeStatus* ns) {
  const Tree* lrm = node_state.Child("lrm");
  if (lrm) lrm = lrm->Child("lrm_resources");
  if (!lrm) return;
  size_t count = 0;
  for (const auto& [key, e] : *lrm) count += key == "lrm_resource";
  ns->resources.reserve(ns->resources.size() + count);
  // Where each id is in ns->resources (a node may run thousands); the keys
  // are views into the document or the configuration.
  FlatIndex where;
  where.Reset(count);
  for (const auto& [key, e] : *lrm) {
    if (key != "lrm_resource") continue;
    std::string_view lrm_id = Attr(e, "id").value_or("");
    std::string_view id = StatusId(*n.config, lrm_id);
    auto h = Replay(n, id, e);
    if (!h) continue;
    Role role = h->role;
    if (role == Role::kStarted && CloneOfPrimitive(*n.config, id).promotable) {
      role = Role::kUnpromoted;
    }
    auto [at, added] = where.Insert(id, uint32_t(ns->resources.size()));
    if (!added) {
      ResourceState* existing = &ns->resources[at];
      n.ctx->Note("status: " + std::string(lrm_id) + " on " + *n.node +
                  " merged into " + std::string(id) +
                  " (anonymous clone instances are not numbered)");
      if (Rank(role) > Rank(existing->role)) existing->role = role;
      existing->failed = existing->failed || h->failed;
      continue;
    }
    ns->resources.push_back(
        {std::string(id), role, h->failed, Score(), std::nullopt});
  }
}

// fail-count-RSC#OP_INTERVAL (and the older fail-count-RSC) summed per
// resource, last-failure-* as the latest; both removed from the attributes.
void ImportFailCounts(NodeCtx& n, NodeStatus* ns) {
  Attributes kept;
  for (const auto& a : ns->attributes) {
    bool count = StartsWith(a.name, "fail-count-");
    bool last = StartsWith(a.name, "last-failure-");
    if (!count && !last) {
      kept.Set(a.name, a.value);
      continue;
    }
    std::string rsc = a.name.substr(count ? 11 : 13);
    rsc = rsc.substr(0, rsc.find('#'));
    std::string_view id = StatusId(*n.config, rsc);
    ResourceState* rs = ns->Find(id);
    if (!rs) {
      ns->resources.push_back({std::string(id), Role::kStopped});
      rs = &ns->resources.back();
    }
    if (count) {
      auto v = ParseScore(a.value);
      if (v.ok()) rs->fail_count += *v;
    } else if (long long t = 0; ParseInt64(a.value, &t)) {
      if (!rs->last_failure || *rs->last_failure < FromEpoch(t)) {
        rs->last_failure = FromEpoch(t);
      }
    }
  }
  ns->attributes = std::move(kept);
}

bool OptionTrue(const Configuration& c, std::string_view name) {
  bool b = true;
  const std::string* v = c.properties.Get(name);
  return !v || !ParseBool(*v, &b) || b;
}

const Node* FindConfigNode(const Configuration& c, const Tree& ns) {
  std::string id = AttrOr(ns, "id");
  std::string uname = AttrOr(ns, "uname");
  for (const auto& node : c.nodes) {
    if (!id.empty() && NodeXmlId(node) == id) return &node;
  }
  return uname.empty() ? nullptr : c.FindNode(uname);
}

}  // namespace

Status ImportStatus(ImportContext& ctx, const Tree& cib, const Tree& status,
                    Document* doc) {
  const Configuration& config = doc->config;
  bool fencing = OptionTrue(config, "stonith-enabled");
  ConfigIndex index(config);
  ClusterStatus& out = doc->status;
  std::vector<const Op*> ops;
  for (const auto& [key, e] : status) {
    if (key != "node_state") continue;
    const Node* node = FindConfigNode(config, e);
    if (!node) {
      ctx.Note("status: node_state " +
               Quote(AttrOr(e, "uname", AttrOr(e, "id"))) +
               " ignored: the node is not in <nodes>, so Pacemaker ignores it");
      continue;
    }
    if (out.FindNode(node->name)) continue;
    NodeStatus ns;
    ns.name = node->name;
    if (const Tree* attrs = e.Child("transient_attributes")) {
      for (const auto& [k, set] : *attrs) {
        if (k != "instance_attributes") continue;
        PL_RETURN_IF_ERROR(
            ReadNvSet(ctx, k, set, "status of " + ns.name, &ns.attributes));
      }
    }
    ns.state = DecideState(e, ns.attributes, fencing, ctx, ns.name);
    NodeCtx n{&index, &ctx, &ns.name, &out, &ops};
    ImportLrm(n, e, &ns);
    ImportFailCounts(n, &ns);
    out.nodes.push_back(std::move(ns));
  }
  // Nodes never seen: unclean while fencing is on and startup-fencing is
  // not disabled (Pacemaker's "unseen" nodes), otherwise offline.
  if (!out.nodes.empty()) {
    bool unseen_unclean = fencing && OptionTrue(config, "startup-fencing");
    for (const auto& node : config.nodes) {
      if (out.FindNode(node.name)) continue;
      NodeStatus ns;
      ns.name = node.name;
      ns.state = unseen_unclean ? NodeState::kUnclean : NodeState::kOffline;
      out.nodes.push_back(std::move(ns));
    }
  }
  if (std::optional<std::string_view> dc = Attr(cib, "dc-uuid")) {
    for (const auto& node : config.nodes) {
      if (NodeXmlId(node) == *dc) out.dc = node.name;
    }
  }
  return Status::Ok();
}

namespace {

template <typename Config>
CloneInfo CloneOf(const Config& config, std::string_view id) {
  CloneInfo info;
  const Resource* parent = config.ParentOf(id);
  if (parent && parent->IsGroup()) parent = config.ParentOf(parent->id);
  if (!parent || !parent->IsClone()) return info;
  info.clone = parent;
  info.promotable = parent->promotable;
  bool b = false;
  const std::string* v = parent->meta.Get("globally-unique");
  info.unique = v && ParseBool(*v, &b) && b;
  return info;
}

}  // namespace

CloneInfo CloneOfPrimitive(const Configuration& config, std::string_view id) {
  return CloneOf(config, id);
}
CloneInfo CloneOfPrimitive(const ConfigIndex& config, std::string_view id) {
  return CloneOf(config, id);
}

std::string NodeXmlId(const Node& node) {
  return node.id ? std::to_string(node.id) : node.name;
}

}  // namespace paceline::cib::pacemaker
