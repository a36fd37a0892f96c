// The `paceline.status/1` document (design.md, "JSON") as the daemon
// reports it to `crm status --output-as=json` and the status TUI. Pure: a
// function of the configuration document and a membership snapshot.
//
// `resources` has one entry per primitive instance the status shows
// active (node and role), then one with node null and role Stopped for
// each configured primitive active nowhere; `failures` are the failed
// actions the nodes reported (with "at", "interval_ms", "status" and the
// agent's last "output" line).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cib/model.h"
#include "membership/membership.h"

namespace paceline::crmd {

struct MembershipSnapshot {
  uint64_t view = 0;
  std::string dc;  // "" when none
  bool quorate = false;
  bool tilt = false;
  struct Member {
    std::string name;
    uint32_t id = 0;
    std::vector<membership::LinkState> links;
  };
  std::vector<Member> members;
  std::map<std::string, uint64_t> dropped;  // reason -> count
  // Heartbeat traffic of this node since it started.
  uint64_t sent_datagrams = 0;
  uint64_t sent_bytes = 0;
  uint64_t received_datagrams = 0;
};

boost::json::object MembershipJson(const MembershipSnapshot& m);

// nodes: every node of cluster.yaml, online when a member of the view;
// standby/maintenance from the CIB's node attributes. status: what the
// controller knows (the DC's merged status).
boost::json::object StatusJson(const std::string& cluster_name,
                               const std::vector<std::string>& node_names,
                               const std::vector<uint32_t>& node_ids,
                               const cib::Document& doc,
                               const cib::ClusterStatus& status,
                               const MembershipSnapshot& m);

// The fields beyond design.md's example (additive): "versions", the
// configuration's "resource_tree" (top-level resources in configuration
// order with their children, kind, agent, promotable, target_role,
// managed), "fail_counts" (resource, node, count, last_failure) and
// "cli_constraints" (the cli-prefer-/cli-ban- locations `crm resource
// migrate`/`ban` leave: id, kind prefer|ban, resource, node, score, role,
// expires). StatusJson calls it; exposed for offline status documents.
void AddDetails(const cib::Document& doc, const cib::ClusterStatus& status,
                boost::json::object& out);

// The `resources` array of a status document (also used by tests). Each
// entry also has "promotable" (its clone is), "target_role" (the innermost
// explicit one, or null) and "fail_count" (on that node).
boost::json::array ResourcesJson(const cib::Configuration& config,
                                 const cib::ClusterStatus& status);

}  // namespace paceline::crmd
