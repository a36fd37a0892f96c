// A Scenario as the XML Pacemaker 2.1.5 writes: configuration, then the
// status with each node's transient attributes and operation history.
#include <sstream>

#include "tests/differential/cib_generator.h"
#include "tests/differential/op_digest.h"
#include "tests/differential/scenario.h"

namespace paceline::differential {

namespace {

constexpr const char* kFeatureSet = "3.16.1";
constexpr const char* kUuid = "00000000-0000-4000-8000-000000000000";

std::string Attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + XmlEscape(value) + "\"";
}

void NvSet(std::ostream& out, const char* element, const std::string& id,
           const Attrs& attrs, const std::string& indent) {
  if (attrs.empty()) return;
  out << indent << "<" << element << Attr("id", id) << ">\n";
  for (const auto& [name, value] : attrs) {
    out << indent << "  <nvpair" << Attr("id", id + "-" + name)
        << Attr("name", name) << Attr("value", value) << "/>\n";
  }
  out << indent << "</" << element << ">\n";
}

void WritePrimitive(std::ostream& out, const Primitive& p,
                    const std::string& indent) {
  out << indent << "<primitive" << Attr("id", p.id) << Attr("class", "ocf")
      << Attr("provider", "pacemaker")
      << Attr("type", p.stateful ? "Stateful" : "Dummy") << ">\n";
  std::string in = indent + "  ";
  NvSet(out, "instance_attributes", p.id + "-instance_attributes", p.params,
        in);
  NvSet(out, "meta_attributes", p.id + "-meta_attributes", p.meta, in);
  out << in << "<operations>\n";
  auto op = [&](const char* name, const char* interval, const char* timeout,
                const char* role) {
    std::string id = p.id + "-" + name + "-interval-" + interval;
    if (role) id += std::string("-") + role;
    out << in << "  <op" << Attr("id", id) << Attr("name", name)
        << Attr("interval", interval) << Attr("timeout", timeout);
    if (role) out << Attr("role", role);
    out << "/>\n";
  };
  if (p.stateful) {
    op("monitor", "10s", "20s", "Promoted");
    op("monitor", "11s", "20s", "Unpromoted");
    op("promote", "0s", "10s", nullptr);
    op("demote", "0s", "10s", nullptr);
  } else {
    op("monitor", "10s", "20s", nullptr);
  }
  op("start", "0s", "20s", nullptr);
  op("stop", "0s", "20s", nullptr);
  out << in << "</operations>\n";
  out << indent << "</primitive>\n";
}

void WriteResource(std::ostream& out, const TopResource& r) {
  const std::string in = "      ";
  switch (r.kind) {
    case TopKind::kPrimitive:
      WritePrimitive(out, r.primitives.front(), in);
      return;
    case TopKind::kGroup:
      out << in << "<group" << Attr("id", r.id) << ">\n";
      NvSet(out, "meta_attributes", r.id + "-meta_attributes", r.meta,
            in + "  ");
      for (const auto& p : r.primitives) WritePrimitive(out, p, in + "  ");
      out << in << "</group>\n";
      return;
    case TopKind::kClone:
    case TopKind::kPromotable:
      out << in << "<clone" << Attr("id", r.id) << ">\n";
      NvSet(out, "meta_attributes", r.id + "-meta_attributes", r.meta,
            in + "  ");
      WritePrimitive(out, r.primitives.front(), in + "  ");
      out << in << "</clone>\n";
      return;
  }
}

void WriteLocation(std::ostream& out, const LocationSpec& l) {
  out << "      <rsc_location" << Attr("id", l.id) << Attr("rsc", l.rsc);
  if (!l.role.empty()) out << Attr("role", l.role);
  if (l.lifetime_end.empty()) {
    out << Attr("node", l.node) << Attr("score", l.score) << "/>\n";
    return;
  }
  // What `crm_resource --move --lifetime` writes.
  out << ">\n"
      << "        <rule" << Attr("id", l.id + "-rule") << Attr("score", l.score)
      << Attr("boolean-op", "and") << ">\n"
      << "          <expression" << Attr("id", l.id + "-expr")
      << Attr("attribute", "#uname") << Attr("operation", "eq")
      << Attr("value", l.node) << Attr("type", "string") << "/>\n"
      << "          <date_expression" << Attr("id", l.id + "-lifetime")
      << Attr("operation", "lt") << Attr("end", l.lifetime_end) << "/>\n"
      << "        </rule>\n"
      << "      </rsc_location>\n";
}

void WriteConstraints(std::ostream& out, const Scenario& s) {
  out << "    <constraints>\n";
  for (const auto& l : s.locations) WriteLocation(out, l);
  for (const auto& c : s.colocations) {
    out << "      <rsc_colocation" << Attr("id", c.id) << Attr("score", c.score)
        << Attr("rsc", c.rsc);
    if (!c.rsc_role.empty()) out << Attr("rsc-role", c.rsc_role);
    out << Attr("with-rsc", c.with_rsc);
    if (!c.with_rsc_role.empty()) out << Attr("with-rsc-role", c.with_rsc_role);
    out << "/>\n";
  }
  for (const auto& o : s.orders) {
    out << "      <rsc_order" << Attr("id", o.id) << Attr("kind", o.kind)
        << Attr("first", o.first) << Attr("first-action", o.first_action)
        << Attr("then", o.then) << Attr("then-action", o.then_action) << "/>\n";
  }
  out << "    </constraints>\n";
}

// ---- Status.

struct OpRecord {
  std::string id;         // lrm_rsc_op id
  std::string operation;  // start, monitor, promote
  long long interval_ms = 0;
  int rc = 0;
  int target_rc = 0;
  int call_id = 0;
};

void WriteOp(std::ostream& out, const Primitive& p, const OpRecord& op,
             long long when) {
  std::string key =
      p.id + "_" + op.operation + "_" + std::to_string(op.interval_ms);
  std::string tkey = std::to_string(op.call_id) +
                     ":1:" + std::to_string(op.target_rc) + ":" + kUuid;
  std::optional<long long> timeout;
  if (op.interval_ms > 0) timeout = kMonitorTimeoutMs;
  out << "            <lrm_rsc_op" << Attr("id", op.id)
      << Attr("operation_key", key) << Attr("operation", op.operation)
      << Attr("crm-debug-origin", "do_update_resource")
      << Attr("crm_feature_set", kFeatureSet) << Attr("transition-key", tkey)
      << Attr("transition-magic", "0:" + std::to_string(op.rc) + ";" + tkey)
      << Attr("exit-reason",
              op.rc == 0 || op.rc == 7 || op.rc == 8 ? "" : "simulated failure")
      << Attr("call-id", std::to_string(op.call_id))
      << Attr("rc-code", std::to_string(op.rc)) << Attr("op-status", "0")
      << Attr("interval", std::to_string(op.interval_ms))
      << Attr("last-rc-change", std::to_string(when)) << Attr("exec-time", "10")
      << Attr("queue-time", "0")
      << Attr("op-digest", OpDigest(p.params, timeout)) << "/>\n";
}

// The operations a history entry consists of, in call order.
std::vector<OpRecord> Records(const History& h) {
  const Primitive& p = *h.primitive;
  const std::string last = p.id + "_last_0";
  const std::string failure = p.id + "_last_failure_0";
  std::vector<OpRecord> ops;
  switch (h.state) {
    case RscState::kUnknown:
      break;
    case RscState::kStopped:
      ops.push_back({last, "monitor", 0, 7, 7, 1});
      break;
    case RscState::kFailedStart:
      ops.push_back({last, "start", 0, 1, 0, 2});
      ops.push_back({failure, "start", 0, 1, 0, 2});
      break;
    case RscState::kStarted:
    case RscState::kPromoted:
    case RscState::kFailedMonitor: {
      bool promoted = h.state == RscState::kPromoted || h.was_promoted;
      ops.push_back({last, promoted ? "promote" : "start", 0, 0, 0, 3});
      MonitorSpec m = MonitorFor(p, promoted);
      std::string mid = p.id + "_monitor_" + std::to_string(m.interval_ms);
      int ok_rc = promoted ? 8 : 0;
      if (h.state == RscState::kFailedMonitor) {
        ops.push_back({mid, "monitor", m.interval_ms, h.monitor_rc, ok_rc, 4});
        ops.push_back(
            {failure, "monitor", m.interval_ms, h.monitor_rc, ok_rc, 4});
      } else {
        ops.push_back({mid, "monitor", m.interval_ms, ok_rc, ok_rc, 4});
      }
      break;
    }
  }
  return ops;
}

void WriteNodeState(std::ostream& out, const NodeSpec& n) {
  bool up = n.kind == NodeKind::kOnline || n.kind == NodeKind::kStandby;
  out << "    <node_state" << Attr("id", std::to_string(n.id))
      << Attr("uname", n.name) << Attr("in_ccm", up ? "true" : "false")
      << Attr("crmd", up ? "online" : "offline")
      << Attr("crm-debug-origin", "do_state_transition")
      << Attr("join", up ? "member" : "down")
      << Attr("expected", n.kind == NodeKind::kOffline ? "down" : "member")
      << ">\n";
  std::string nid = std::to_string(n.id);
  if (!n.transient.empty()) {
    out << "      <transient_attributes" << Attr("id", nid) << ">\n";
    NvSet(out, "instance_attributes", "status-" + nid, n.transient, "        ");
    out << "      </transient_attributes>\n";
  }
  out << "      <lrm" << Attr("id", nid) << ">\n        <lrm_resources>\n";
  for (const History& h : n.history) {
    std::vector<OpRecord> ops = Records(h);
    if (ops.empty()) continue;
    const Primitive& p = *h.primitive;
    out << "          <lrm_resource" << Attr("id", p.id) << Attr("class", "ocf")
        << Attr("provider", "pacemaker")
        << Attr("type", p.stateful ? "Stateful" : "Dummy") << ">\n";
    for (const OpRecord& op : ops) WriteOp(out, p, op, h.when);
    out << "          </lrm_resource>\n";
  }
  out << "        </lrm_resources>\n      </lrm>\n    </node_state>\n";
}

}  // namespace

std::string WriteScenarioXml(const Scenario& s) {
  std::ostringstream out;
  out << "<cib" << Attr("crm_feature_set", kFeatureSet)
      << Attr("validate-with", "pacemaker-3.9") << Attr("epoch", "10")
      << Attr("num_updates", "0") << Attr("admin_epoch", "0")
      << Attr("have-quorum", s.have_quorum ? "1" : "0");
  for (const auto& n : s.nodes) {
    if (n.kind == NodeKind::kOnline || n.kind == NodeKind::kStandby) {
      out << Attr("dc-uuid", std::to_string(n.id));
      break;
    }
  }
  out << ">\n  <configuration>\n    <crm_config>\n";
  NvSet(out, "cluster_property_set", "cib-bootstrap-options", s.properties,
        "      ");
  out << "    </crm_config>\n    <nodes>\n";
  for (const auto& n : s.nodes) {
    out << "      <node" << Attr("id", std::to_string(n.id))
        << Attr("uname", n.name);
    if (n.kind != NodeKind::kStandby) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    NvSet(out, "instance_attributes", "nodes-" + std::to_string(n.id),
          {{"standby", "on"}}, "        ");
    out << "      </node>\n";
  }
  out << "    </nodes>\n    <resources>\n";
  for (const auto& r : s.resources) WriteResource(out, r);
  out << "    </resources>\n";
  WriteConstraints(out, s);
  if (!s.rsc_defaults.empty()) {
    out << "    <rsc_defaults>\n";
    NvSet(out, "meta_attributes", "rsc-options", s.rsc_defaults, "      ");
    out << "    </rsc_defaults>\n";
  }
  if (!s.op_defaults.empty()) {
    out << "    <op_defaults>\n";
    NvSet(out, "meta_attributes", "op-options", s.op_defaults, "      ");
    out << "    </op_defaults>\n";
  }
  out << "  </configuration>\n  <status>\n";
  for (const auto& n : s.nodes) WriteNodeState(out, n);
  out << "  </status>\n</cib>\n";
  return out.str();
}

}  // namespace paceline::differential
