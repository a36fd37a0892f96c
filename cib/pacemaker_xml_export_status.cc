// ClusterStatus -> Pacemaker's status section: one node_state per node, an
// operation history per resource instance from which Pacemaker (and our
// import) derive the same role, failure and fail count, with the op-digests
// Pacemaker 2.1 computes, so crm_simulate sees nothing changed and restarts
// nothing.
//
// History per (node, resource): earlier failures; then the role's
// operations (a probe returning "not running"; a start; a promote; a
// demote for an unpromoted resource outside a promotable clone) and the
// recurring monitor for that role; then, if the last operation failed, the
// failure. Transient attributes carry the node attributes, fail counts
// (fail-count-RSC#OP_INTERVAL) and last-failure times.
#include <boost/uuid/detail/md5.hpp>
#include <map>

#include "cib/duration.h"
#include "cib/pacemaker_xml_internal.h"
#include "common/strings.h"

namespace paceline::cib::pacemaker {

namespace {

std::string Md5Hex(const std::string& text) {
  boost::uuids::detail::md5 md5;
  md5.process_bytes(text.data(), text.size());
  boost::uuids::detail::md5::digest_type digest;
  md5.get_digest(digest);
  // Boost 1.81 keeps the digest as four words whose most significant byte
  // is the first byte of each group of four.
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned word : digest) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      unsigned char c = (word >> shift) & 0xff;
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
  }
  return hex;
}

long long Ms(const std::string* text, long long fallback) {
  if (!text) return fallback;
  auto ms = ParseInterval(*text);
  return ms.ok() ? ms->count() : fallback;
}

const Operation* FindOp(const Resource& r, std::string_view task,
                        long long interval_ms, Role role = Role::kUnknown) {
  const Operation* fallback = nullptr;
  for (const auto& op : r.ops) {
    if (op.name != task || Ms(op.attrs.Get("interval"), 0) != interval_ms) {
      continue;
    }
    const std::string* op_role = op.attrs.Get("role");
    auto parsed = op_role ? ParseRole(*op_role) : std::nullopt;
    if (parsed && *parsed == role) return &op;
    if (!parsed && !fallback) fallback = &op;
  }
  return fallback;
}

// The recurring monitor Pacemaker runs for `role` (0 if none configured).
long long MonitorFor(const Resource& r, Role role) {
  Role want = role == Role::kStarted ? Role::kUnknown : role;
  long long fallback = 0;
  for (const auto& op : r.ops) {
    long long ms = Ms(op.attrs.Get("interval"), 0);
    if (op.name != "monitor" || ms == 0) continue;
    bool b = true;
    if (const auto* e = op.attrs.Get("enabled"); e && ParseBool(*e, &b) && !b) {
      continue;
    }
    const std::string* op_role = op.attrs.Get("role");
    auto parsed = op_role ? ParseRole(*op_role) : std::nullopt;
    if (parsed && (*parsed == want ||
                   (want == Role::kUnknown && *parsed == Role::kStarted))) {
      return ms;
    }
    if (!parsed && role != Role::kPromoted && fallback == 0) fallback = ms;
  }
  return fallback;
}

}  // namespace

std::string OpDigest(const Configuration& config, const Resource& r,
                     std::string_view task, long long interval_ms) {
  std::map<std::string, std::string> params;  // sorted, as Pacemaker sorts
  for (const Resource* p = &r; p; p = config.ParentOf(p->id)) {
    for (const auto& nv : p->params) params.emplace(nv.name, nv.value);
  }
  if (const Operation* op = FindOp(r, task, interval_ms)) {
    for (const auto& a : op->attrs) {
      bool xml = false;
      for (auto k : {"interval", "timeout", "description", "start-delay",
                     "interval-origin", "enabled", "record-pending", "role",
                     "requires", "on-fail"}) {
        xml = xml || a.name == k;
      }
      if (!xml) params[a.name] = a.value;
    }
  }
  if (interval_ms > 0) {
    const Operation* op = FindOp(r, task, interval_ms);
    long long timeout = Ms(config.op_defaults.Get("timeout"), 20000);
    if (op) timeout = Ms(op->attrs.Get("timeout"), timeout);
    params["CRM_meta_timeout"] = std::to_string(timeout);
  }
  std::string text = " <parameters";
  for (const auto& [name, value] : params) {
    text += " " + name + "=\"" + EscapeAttr(value) + "\"";
  }
  text += "/>\n";
  return Md5Hex(text);
}

namespace {

struct OpSpec {
  std::string task;
  long long interval_ms = 0;
  int rc = 0;
  int op_status = 0;
  std::string reason;
  long long at = 0;
  bool failure = false;
};

int OpStatusCode(const std::string& text) {
  static const std::pair<const char*, int> kCodes[] = {
      {"timeout", 2},     {"not supported", 3}, {"hard error", 5},
      {"fatal error", 6}, {"not installed", 7}, {"not connected", 8},
      {"invalid", 9}};
  for (const auto& [name, code] : kCodes) {
    if (text == name) return code;
  }
  return 4;
}

class StatusWriter {
 public:
  StatusWriter(const Document& doc, XmlWriter& w) : doc_(doc), w_(w) {}

  void Node(const NodeStatus& ns) {
    const cib::Node* config = doc_.config.FindNode(ns.name);
    std::string id = config ? NodeXmlId(*config) : ns.name;
    w_.Open("node_state", NodeStateAttrs(id, ns));
    TransientAttributes(id, ns);
    w_.Open("lrm", {{"id", id}});
    w_.Open("lrm_resources", {}, ns.resources.empty());
    call_id_ = 0;
    for (const auto& rs : ns.resources) Resource(ns, rs);
    if (!ns.resources.empty()) w_.Close("lrm_resources");
    w_.Close("lrm");
    w_.Close("node_state");
  }

 private:
  static XmlAttrs NodeStateAttrs(const std::string& id, const NodeStatus& ns) {
    const char *in_ccm = "true", *crmd = "online", *join = "member",
               *expected = "member";
    switch (ns.state) {
      case NodeState::kOffline:
        in_ccm = "false", crmd = "offline", join = "down", expected = "down";
        break;
      case NodeState::kUnclean:  // lost while expected up
        crmd = "offline", join = "down";
        break;
      case NodeState::kPending:
        join = "pending";
        break;
      default:
        break;
    }
    return {{"id", id},
            {"uname", ns.name},
            {"in_ccm", in_ccm},
            {"crmd", crmd},
            {"join", join},
            {"expected", expected},
            {"crm-debug-origin", "paceline"}};
  }

  std::string FailKey(const NodeStatus& ns, const ResourceState& rs) const {
    std::string key = "start_0";
    for (const auto& f : doc_.status.failures) {
      if (f.node == ns.name && f.resource == rs.id) {
        key = f.action + "_" + std::to_string(f.interval_ms);
      }
    }
    return rs.id + "#" + key;
  }

  void TransientAttributes(const std::string& id, const NodeStatus& ns) {
    Attributes attrs = ns.attributes;
    for (const auto& rs : ns.resources) {
      if (rs.fail_count.value() != 0) {
        attrs.Set("fail-count-" + FailKey(ns, rs), rs.fail_count.ToString());
      }
      if (rs.last_failure) {
        auto t = std::chrono::duration_cast<std::chrono::seconds>(
            rs.last_failure->time_since_epoch());
        attrs.Set("last-failure-" + FailKey(ns, rs), std::to_string(t.count()));
      }
    }
    if (attrs.empty()) return;
    w_.Open("transient_attributes", {{"id", id}});
    std::string set = SanitizeId("status-" + id);
    w_.Open("instance_attributes", {{"id", set}});
    for (const auto& nv : attrs) {
      w_.Open("nvpair",
              {{"id", SanitizeId(set + "-" + nv.name)},
               {"name", nv.name},
               {"value", nv.value}},
              true);
    }
    w_.Close("instance_attributes");
    w_.Close("transient_attributes");
  }

  // The operations from which the role (and failure) is derived.
  std::vector<OpSpec> History(const NodeStatus& ns, const ResourceState& rs,
                              const cib::Resource* r) const {
    std::vector<const FailedAction*> fails;
    for (const auto& f : doc_.status.failures) {
      if (f.node == ns.name && f.resource == rs.id) fails.push_back(&f);
    }
    auto spec = [](const FailedAction& f) {
      auto t = std::chrono::duration_cast<std::chrono::seconds>(
          f.at.time_since_epoch());
      return OpSpec{f.action, f.interval_ms, f.rc, OpStatusCode(f.status),
                    f.reason, t.count(),     true};
    };
    std::vector<OpSpec> ops;
    size_t earlier =
        rs.failed && !fails.empty() ? fails.size() - 1 : fails.size();
    for (size_t i = 0; i < earlier; ++i) ops.push_back(spec(*fails[i]));
    const FailedAction* last = earlier < fails.size() ? fails.back() : nullptr;
    std::string failed_task = last ? last->action : "";
    bool promotable = CloneOfPrimitive(doc_.config, rs.id).promotable;
    Role role = rs.role;
    if (failed_task == "start" || (rs.role == Role::kStopped && rs.failed)) {
      ops.push_back({"monitor", 0, 7});
    } else if (role == Role::kStopped || role == Role::kUnknown) {
      ops.push_back(earlier > 0 ? OpSpec{"stop", 0, 0}
                                : OpSpec{"monitor", 0, 7});
    } else if (role == Role::kPromoted) {
      if (failed_task != "promote")
        ops.push_back({"promote", 0, 0});
      else
        ops.push_back({"start", 0, 0});
    } else if (role == Role::kUnpromoted && !promotable) {
      ops.push_back({"demote", 0, 0});
    } else {
      ops.push_back({"start", 0, 0});
    }
    if (r && !failed_task.empty() && failed_task != "start" &&
        failed_task != "promote") {
      AddMonitor(*r, role, ops);
    } else if (r && failed_task.empty()) {
      AddMonitor(*r, role, ops);
    }
    if (last) ops.push_back(spec(*last));
    return ops;
  }

  static void AddMonitor(const cib::Resource& r, Role role,
                         std::vector<OpSpec>& ops) {
    if (role == Role::kStopped || role == Role::kUnknown) return;
    long long ms = MonitorFor(r, role);
    if (ms > 0) ops.push_back({"monitor", ms, role == Role::kPromoted ? 8 : 0});
  }

  void Resource(const NodeStatus& ns, const ResourceState& rs) {
    std::string base = rs.id.substr(0, rs.id.rfind(':'));
    const cib::Resource* r = doc_.config.FindResource(rs.id);
    if (!r) r = doc_.config.FindResource(base);
    if (r && !r->IsPrimitive()) r = nullptr;
    XmlAttrs attrs = {{"id", rs.id}};
    if (r) {
      attrs.push_back({"class", r->agent.standard});
      if (!r->agent.provider.empty()) {
        attrs.push_back({"provider", r->agent.provider});
      }
      attrs.push_back({"type", r->agent.type});
    } else {
      attrs.insert(
          attrs.end(),
          {{"class", "ocf"}, {"provider", "heartbeat"}, {"type", "Dummy"}});
    }
    w_.Open("lrm_resource", attrs);
    std::vector<OpSpec> ops = History(ns, rs, r);
    for (size_t i = 0; i < ops.size(); ++i) {
      Op(rs.id, r, ops[i], i + 1 == ops.size());
    }
    w_.Close("lrm_resource");
  }

  void Op(const std::string& id, const cib::Resource* r, const OpSpec& op,
          bool last) {
    ++call_id_;
    std::string key = id + "_" + op.task + "_" + std::to_string(op.interval_ms);
    std::string op_id = op.interval_ms > 0 ? key : id + "_last_0";
    if (op.failure) {
      op_id = last ? id + "_last_failure_0"
                   : id + "_failure_" + std::to_string(call_id_);
    }
    // The expected rc: what success looks like for this operation.
    bool probe = op.task == "monitor" && op.interval_ms == 0;
    int target = probe ? 7 : (op.failure ? 0 : op.rc);
    // A failed result is written as Pacemaker's controller writes it: the
    // operation completed (op-status 0) with an unexpected rc.
    int op_status = op.op_status;
    if (!op.failure || (op_status == 4 && op.rc != target && !probe)) {
      op_status = 0;
    }
    std::string tkey = std::to_string(call_id_) +
                       ":-1:" + std::to_string(target) +
                       ":00000000-0000-0000-0000-000000000000";
    XmlAttrs attrs = {
        {"id", SanitizeId(op_id)},
        {"operation_key", key},
        {"operation", op.task},
        {"crm-debug-origin", "paceline"},
        {"crm_feature_set", "3.16.1"},
        {"transition-key", tkey},
        {"transition-magic",
         std::to_string(op_status) + ":" + std::to_string(op.rc) + ";" + tkey},
        {"exit-reason", op.failure ? op.reason : ""},
        {"call-id", std::to_string(call_id_)},
        {"rc-code", std::to_string(op.rc)},
        {"op-status", std::to_string(op_status)},
        {"interval", std::to_string(op.interval_ms)},
        {"last-rc-change", std::to_string(op.at)},
        {"exec-time", "0"},
        {"queue-time", "0"}};
    if (r)
      attrs.push_back(
          {"op-digest", OpDigest(doc_.config, *r, op.task, op.interval_ms)});
    w_.Open("lrm_rsc_op", attrs, true);
  }

  const Document& doc_;
  XmlWriter& w_;
  long long call_id_ = 0;
};

}  // namespace

void ExportStatus(const Document& doc, XmlWriter& w) {
  bool empty = doc.status.nodes.empty();
  w.Open("status", {}, empty);
  if (empty) return;
  StatusWriter sw(doc, w);
  for (const auto& ns : doc.status.nodes) sw.Node(ns);
  w.Close("status");
}

}  // namespace paceline::cib::pacemaker
