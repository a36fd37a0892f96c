// Node and resource edits: standby/online, migrate/unmigrate/ban,
// start/stop (target-role), cleanup; and where resources are active.
#include <algorithm>
#include <set>

#include "cib/edit.h"
#include "cib/edit_internal.h"
#include "common/strings.h"

namespace paceline::cib {

std::string PreferConstraintId(std::string_view rsc) {
  return "cli-prefer-" + std::string(rsc);
}

std::string BanConstraintId(std::string_view rsc, std::string_view node) {
  return "cli-ban-" + std::string(rsc) + "-on-" + std::string(node);
}

namespace {

// The primitives at or under rsc, in configuration order.
void CollectPrimitives(const Configuration& c, std::string_view rsc,
                       std::vector<std::string>& out) {
  const Resource* r = c.FindResource(rsc);
  if (!r) return;
  if (r->IsPrimitive()) {
    out.push_back(r->id);
    return;
  }
  for (const auto& child : r->children) CollectPrimitives(c, child, out);
}

// True if the status entry id ("drbd_pg" or "drbd_pg:1") belongs to prim.
bool IsInstanceOf(std::string_view id, std::string_view prim) {
  return id == prim || (id.size() > prim.size() && StartsWith(id, prim) &&
                        id[prim.size()] == ':');
}

const Resource* CloneAncestor(const Configuration& c, std::string_view rsc) {
  for (const Resource* p = c.ParentOf(rsc); p; p = c.ParentOf(p->id)) {
    if (p->IsClone()) return p;
  }
  return nullptr;
}

bool NodeKnown(const Document& doc, std::string_view node) {
  return doc.config.FindNode(node) || doc.status.FindNode(node);
}

Status RequireResource(const Document& doc, std::string_view rsc) {
  if (doc.config.FindResource(rsc)) return Status::Ok();
  return Status::NotFound("resource " + Quote(rsc) + " not found");
}

Status RequireNode(const Document& doc, std::string_view node) {
  if (NodeKnown(doc, node)) return Status::Ok();
  return Status::NotFound("node " + Quote(node) +
                          " not found (declare it with `crm configure node " +
                          std::string(node) + "`)");
}

void EraseConstraint(Configuration& c, const std::string& id,
                     std::vector<std::string>* removed) {
  auto n = std::erase_if(c.constraints, [&](const Constraint& k) {
    return ConstraintId(k) == id;
  });
  if (n && removed) removed->push_back(id);
}

// Where `crm resource migrate RSC` (no node) moves away from: the one node
// it is active on (promoted, for a promotable clone).
Result<std::string> CurrentNode(const Document& doc, const Resource& r) {
  bool promotable = r.IsClone() && r.promotable;
  std::set<std::string> nodes;
  for (const auto& p : ActivePlacements(doc, r.id)) {
    if (!promotable || p.role == Role::kPromoted) nodes.insert(p.node);
  }
  if (nodes.empty()) {
    return Status::Invalid("resource " + Quote(r.id) +
                           " is not active anywhere; name the node to move "
                           "it to");
  }
  if (nodes.size() > 1) {
    std::vector<std::string> list(nodes.begin(), nodes.end());
    return Status::Invalid("resource " + Quote(r.id) + " is active on " +
                           std::to_string(nodes.size()) + " nodes (" +
                           Join(list, ", ") + "); name the node to move it to");
  }
  return *nodes.begin();
}

}  // namespace

std::vector<Placement> ActivePlacements(const Document& doc,
                                        std::string_view rsc) {
  std::vector<std::string> prims;
  CollectPrimitives(doc.config, rsc, prims);
  std::vector<Placement> out;
  for (const auto& node : doc.status.nodes) {
    if (node.state == NodeState::kOffline) continue;
    for (const auto& state : node.resources) {
      if (state.role == Role::kStopped || state.role == Role::kUnknown) {
        continue;
      }
      for (const auto& prim : prims) {
        if (IsInstanceOf(state.id, prim)) {
          out.push_back({node.name, state.id, state.role});
        }
      }
    }
  }
  return out;
}

namespace internal {

Status ApplyResourceEdit(Document& doc, const SetNodeAttribute& edit, WallTime,
                         std::vector<std::string>& notices) {
  PL_RETURN_IF_ERROR(RequireNode(doc, edit.node));
  NodeStatus* live = doc.status.FindNode(edit.node);
  if (edit.until_reboot) {
    if (!live) {
      return Status::Invalid("node " + Quote(edit.node) +
                             " has no status, so it cannot hold an attribute "
                             "until reboot (use the default lifetime)");
    }
    if (edit.value) {
      live->attributes.Set(edit.name, *edit.value);
    } else {
      live->attributes.Erase(edit.name);
    }
    return Status::Ok();
  }
  Node* node = doc.config.FindNode(edit.node);
  if (!node) {  // known only from the status: give it a configuration entry
    doc.config.nodes.push_back(Node{.name = edit.node});
    node = &doc.config.nodes.back();
  }
  if (edit.value) {
    node->attributes.Set(edit.name, *edit.value);
  } else {
    node->attributes.Erase(edit.name);
  }
  // `crm node online` must win over a standby set until reboot, too.
  bool off = false;
  if (live && edit.name == "standby" && edit.value &&
      ParseBool(*edit.value, &off) && !off &&
      live->attributes.Erase("standby")) {
    notices.push_back("notice: also cleared the until-reboot standby of " +
                      edit.node);
  }
  return Status::Ok();
}

Status ApplyResourceEdit(Document& doc, const MoveResource& edit, WallTime now,
                         std::vector<std::string>& notices) {
  Configuration& c = doc.config;
  PL_RETURN_IF_ERROR(RequireResource(doc, edit.rsc));
  const Resource* r = c.FindResource(edit.rsc);
  if (const Resource* clone = CloneAncestor(c, edit.rsc)) {
    return Status::Invalid("cannot move " + Quote(edit.rsc) +
                           ": it is inside " + std::string(KindName(*clone)) +
                           " " + Quote(clone->id) + "; move " +
                           Quote(clone->id) + " instead");
  }
  std::string node = edit.node;
  bool ban = edit.ban || node.empty();
  if (node.empty()) {
    PL_ASSIGN_OR_RETURN(node, CurrentNode(doc, *r));
  }
  PL_RETURN_IF_ERROR(RequireNode(doc, node));
  Location loc;
  loc.rsc = edit.rsc;
  loc.node = node;
  if (edit.lifetime) {
    // Whole seconds: that is what the file and the crm syntax keep.
    loc.expires = std::chrono::time_point_cast<WallTime::duration>(
        std::chrono::floor<std::chrono::seconds>(now + *edit.lifetime));
  }
  std::string until =
      loc.expires ? " until " + FormatTimestamp(*loc.expires) : "";
  if (ban) {
    loc.id = BanConstraintId(edit.rsc, node);
    loc.score = Score::MinusInfinity();
    EraseConstraint(c, loc.id, nullptr);
    notices.push_back("INFO: ban constraint " + loc.id +
                      " created: " + edit.rsc + " will not run on " + node +
                      until + " (remove it with `crm resource clear " +
                      edit.rsc + "`)");
  } else {
    loc.id = PreferConstraintId(edit.rsc);
    loc.score = Score::Infinity();
    loc.role =
        (r->IsClone() && r->promotable) ? Role::kPromoted : Role::kStarted;
    EraseConstraint(c, loc.id, nullptr);
    EraseConstraint(c, BanConstraintId(edit.rsc, node), nullptr);
    notices.push_back("INFO: move constraint " + loc.id + " created for " +
                      edit.rsc + " to " + node + until);
  }
  c.constraints.push_back(std::move(loc));
  return Status::Ok();
}

Status ApplyResourceEdit(Document& doc, const ClearMove& edit, WallTime,
                         std::vector<std::string>& notices) {
  Configuration& c = doc.config;
  PL_RETURN_IF_ERROR(RequireResource(doc, edit.rsc));
  std::vector<std::string> removed;
  const std::string prefer = PreferConstraintId(edit.rsc);
  const std::string ban_prefix = "cli-ban-" + edit.rsc + "-on-";
  std::vector<std::string> ids;
  for (const auto& k : c.constraints) {
    const auto* l = std::get_if<Location>(&k);
    if (!l || l->rsc != edit.rsc) continue;
    bool ours = l->id == prefer || StartsWith(l->id, ban_prefix);
    if (ours && (edit.node.empty() || l->node == edit.node)) {
      ids.push_back(l->id);
    }
  }
  for (const auto& id : ids) EraseConstraint(c, id, &removed);
  if (removed.empty()) {
    notices.push_back("INFO: no move or ban constraints for " + edit.rsc +
                      (edit.node.empty() ? "" : " on " + edit.node));
  }
  for (const auto& id : removed) {
    notices.push_back("INFO: removed constraint " + id);
  }
  return Status::Ok();
}

Status ApplyResourceEdit(Document& doc, const SetResourceMeta& edit, WallTime,
                         std::vector<std::string>&) {
  PL_RETURN_IF_ERROR(RequireResource(doc, edit.rsc));
  Resource* r = doc.config.FindResource(edit.rsc);
  if (edit.value) {
    r->meta.Set(edit.name, *edit.value);
  } else {
    r->meta.Erase(edit.name);
  }
  return Status::Ok();
}

Status ApplyResourceEdit(Document& doc, const Cleanup& edit, WallTime,
                         std::vector<std::string>& notices) {
  std::vector<std::string> prims;
  if (!edit.rsc.empty()) {
    PL_RETURN_IF_ERROR(RequireResource(doc, edit.rsc));
    CollectPrimitives(doc.config, edit.rsc, prims);
  }
  if (!edit.node.empty()) PL_RETURN_IF_ERROR(RequireNode(doc, edit.node));
  auto matches_rsc = [&](std::string_view id) {
    if (edit.rsc.empty()) return true;
    return std::any_of(prims.begin(), prims.end(),
                       [&](const auto& p) { return IsInstanceOf(id, p); });
  };
  auto matches_node = [&](std::string_view n) {
    return edit.node.empty() || n == edit.node;
  };
  std::set<std::pair<std::string, std::string>> cleaned;  // (rsc, node)
  for (auto& node : doc.status.nodes) {
    if (!matches_node(node.name)) continue;
    for (auto& state : node.resources) {
      if (!matches_rsc(state.id)) continue;
      if (state.failed || state.fail_count.value() != 0 || state.last_failure) {
        cleaned.insert({state.id, node.name});
      }
      state.failed = false;
      state.fail_count = Score();
      state.last_failure.reset();
    }
  }
  std::erase_if(doc.status.failures, [&](const FailedAction& f) {
    bool hit = matches_rsc(f.resource) && matches_node(f.node);
    if (hit) cleaned.insert({f.resource, f.node});
    return hit;
  });
  for (const auto& [rsc, node] : cleaned) {
    notices.push_back("Cleaned up " + rsc + " on " + node);
  }
  if (cleaned.empty()) {
    notices.push_back("Nothing to clean up" +
                      (edit.rsc.empty() ? "" : " for " + edit.rsc) +
                      (edit.node.empty() ? "" : " on " + edit.node));
  }
  return Status::Ok();
}

}  // namespace internal
}  // namespace paceline::cib
