// ApplyEdit's dispatch, versions, and the configuration-object edits
// (define, delete). Resource and node edits are in edit_resource.cc.
#include "cib/edit.h"

#include <algorithm>
#include <unordered_set>

#include "cib/edit_internal.h"
#include "cib/validate.h"
#include "common/strings.h"

namespace paceline::cib {

namespace {

// Cluster properties Pacemaker renamed into defaults long ago; admins (and
// the talk) still type them.
struct DeprecatedProperty {
  std::string_view property;
  PropertySet::Section section;
  std::string_view name;
};
constexpr DeprecatedProperty kDeprecated[] = {
    {"default-resource-stickiness", PropertySet::Section::kRscDefaults,
     "resource-stickiness"},
    {"is-managed-default", PropertySet::Section::kRscDefaults, "is-managed"},
    {"default-action-timeout", PropertySet::Section::kOpDefaults, "timeout"},
};

Attributes& SectionOf(Configuration& c, PropertySet::Section s) {
  switch (s) {
    case PropertySet::Section::kRscDefaults:
      return c.rsc_defaults;
    case PropertySet::Section::kOpDefaults:
      return c.op_defaults;
    default:
      return c.properties;
  }
}

std::string_view SectionName(PropertySet::Section s) {
  switch (s) {
    case PropertySet::Section::kRscDefaults:
      return "rsc_defaults";
    case PropertySet::Section::kOpDefaults:
      return "op_defaults";
    default:
      return "property";
  }
}

void DefineProperties(Configuration& c, const PropertySet& set,
                      std::vector<std::string>& notices) {
  for (const auto& p : set.attrs) {
    auto section = set.section;
    std::string name = p.name;
    if (set.section == PropertySet::Section::kClusterProperties) {
      for (const auto& d : kDeprecated) {
        if (p.name != d.property) continue;
        section = d.section;
        name = d.name;
        notices.push_back("notice: property " + p.name +
                          " is deprecated; set " +
                          std::string(SectionName(section)) + " " + name + "=" +
                          p.value + " instead");
      }
    }
    SectionOf(c, section).Set(name, p.value);
  }
}

// Where an id lives now, for "already exists" messages.
std::string ExistingKind(const Configuration& c, std::string_view id) {
  if (const auto* r = c.FindResource(id)) return std::string(KindName(*r));
  if (const auto* k = c.FindConstraint(id)) {
    return std::string(ConstraintKindName(*k));
  }
  return "";
}

template <typename T>
Status Upsert(std::vector<T>& items, T value, LoadMode mode,
              const std::string& id, std::string_view kind,
              const Configuration& c, std::string (*key)(const T&)) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& x) { return key(x) == id; });
  if (it != items.end() && mode == LoadMode::kUpdate) {
    *it = std::move(value);
    return Status::Ok();
  }
  std::string other = ExistingKind(c, id);
  if (it != items.end() || !other.empty()) {
    if (other.empty()) other = std::string(kind);
    return Status::Conflict(std::string(kind) + " " + Quote(id) +
                            ": id already exists (as " + other +
                            "); delete it first or use `crm configure load "
                            "update`");
  }
  items.push_back(std::move(value));
  return Status::Ok();
}

std::string NodeKey(const Node& n) { return n.name; }
std::string ResourceKey(const Resource& r) { return r.id; }
std::string ConstraintKey(const Constraint& c) { return ConstraintId(c); }

Status DefineOne(Configuration& c, const ConfigObject& object, LoadMode mode,
                 std::vector<std::string>& notices) {
  if (const auto* node = std::get_if<Node>(&object)) {
    if (c.FindNode(node->name) && mode != LoadMode::kUpdate) {
      return Status::Conflict("node " + Quote(node->name) + " already exists");
    }
    return Upsert(c.nodes, *node, LoadMode::kUpdate, node->name, "node", c,
                  &NodeKey);
  }
  if (const auto* r = std::get_if<Resource>(&object)) {
    if (mode == LoadMode::kUpdate && c.FindConstraint(r->id)) {
      return Status::Conflict(std::string(KindName(*r)) + " " + Quote(r->id) +
                              ": id already used by a constraint");
    }
    return Upsert(c.resources, *r, mode, r->id, KindName(*r), c, &ResourceKey);
  }
  if (const auto* k = std::get_if<Constraint>(&object)) {
    const std::string& id = ConstraintId(*k);
    if (mode == LoadMode::kUpdate && c.FindResource(id)) {
      return Status::Conflict(std::string(ConstraintKindName(*k)) + " " +
                              Quote(id) + ": id already used by a resource");
    }
    return Upsert(c.constraints, *k, mode, id, ConstraintKindName(*k), c,
                  &ConstraintKey);
  }
  DefineProperties(c, std::get<PropertySet>(object), notices);
  return Status::Ok();
}

std::string ObjectId(const ConfigObject& object) {
  if (const auto* n = std::get_if<Node>(&object)) return "node:" + n->name;
  if (const auto* r = std::get_if<Resource>(&object)) return r->id;
  if (const auto* k = std::get_if<Constraint>(&object)) {
    return ConstraintId(*k);
  }
  return "";
}

Status ApplyDefine(Document& doc, const DefineObjects& edit,
                   std::vector<std::string>& notices) {
  Configuration& c = doc.config;
  LoadMode mode = edit.mode;
  if (mode == LoadMode::kReplace) {
    c = Configuration();
    mode = LoadMode::kCreate;
  }
  std::unordered_set<std::string> batch;
  for (const auto& object : edit.objects) {
    std::string id = ObjectId(object);
    if (!id.empty() && edit.objects.size() > 1 && !batch.insert(id).second) {
      return Status::Conflict(Quote(id) + " is defined twice in the input");
    }
    PL_RETURN_IF_ERROR(DefineOne(c, object, mode, notices));
  }
  c.Canonicalize();
  return Status::Ok();
}

}  // namespace

namespace internal {

// Deleting a container releases its children at its place; deleting a
// member takes it out of its group. Refused: objects a remaining constraint
// names, a clone's child without its clone, a group left empty, and (unless
// forced) resources the status says are running.
Status ApplyDelete(Document& doc, const DeleteObjects& edit) {
  Configuration& c = doc.config;
  std::unordered_set<std::string> doomed;
  std::unordered_set<std::string> doomed_nodes;
  for (const auto& id : edit.ids) {
    bool object =
        !edit.nodes_only && (c.FindResource(id) || c.FindConstraint(id));
    if (object) {
      doomed.insert(id);
    } else if (c.FindNode(id)) {
      doomed_nodes.insert(id);
    } else {
      return Status::NotFound("cannot delete " + Quote(id) +
                              (edit.nodes_only
                                   ? ": no such node"
                                   : ": no such resource, constraint or node"));
    }
  }
  for (const auto& k : c.constraints) {
    if (doomed.count(ConstraintId(k))) continue;
    for (const auto& rsc : ConstraintResources(k)) {
      if (!doomed.count(rsc)) continue;
      return Status::Conflict("cannot delete " + Quote(rsc) + ": " +
                              std::string(ConstraintKindName(k)) + " " +
                              Quote(ConstraintId(k)) +
                              " refers to it (delete the constraint first)");
    }
  }
  for (const auto& id : edit.ids) {
    if (!doomed.count(id) || !c.FindResource(id)) continue;
    const Resource* parent = c.ParentOf(id);
    if (parent && parent->IsClone() && !doomed.count(parent->id)) {
      return Status::Conflict("cannot delete " + Quote(id) +
                              ": it is the child of " +
                              std::string(KindName(*parent)) + " " +
                              Quote(parent->id) + " (delete that too)");
    }
    if (parent && parent->IsGroup() && !doomed.count(parent->id)) {
      bool all_doomed = std::all_of(
          parent->children.begin(), parent->children.end(),
          [&](const std::string& m) { return doomed.count(m) > 0; });
      if (all_doomed) {
        return Status::Conflict("cannot delete " + Quote(id) + ": group " +
                                Quote(parent->id) +
                                " would be left empty (delete it too)");
      }
    }
    if (!edit.force) {
      for (const auto& p : ActivePlacements(doc, id)) {
        return Status::Conflict("cannot delete " + Quote(id) +
                                ": it is running on " + p.node +
                                " (stop it first with `crm resource stop " +
                                id + "`, or use --force)");
      }
    }
  }
  // Containers first, so their children are released before they go.
  for (auto& r : c.resources) {
    if (r.IsPrimitive()) continue;
    std::erase_if(r.children,
                  [&](const std::string& m) { return doomed.count(m) > 0; });
  }
  std::erase_if(c.resources,
                [&](const Resource& r) { return doomed.count(r.id) > 0; });
  std::erase_if(c.constraints, [&](const Constraint& k) {
    return doomed.count(ConstraintId(k)) > 0;
  });
  std::erase_if(c.nodes,
                [&](const Node& n) { return doomed_nodes.count(n.name) > 0; });
  c.Canonicalize();
  return Status::Ok();
}

}  // namespace internal

Result<EditResult> ApplyEdit(Document& doc, const Edit& edit, WallTime now) {
  Document next = doc;
  EditResult result;
  Status s = std::visit(
      [&](const auto& e) -> Status {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, DefineObjects>) {
          return ApplyDefine(next, e, result.notices);
        } else if constexpr (std::is_same_v<T, DeleteObjects>) {
          return internal::ApplyDelete(next, e);
        } else {
          return internal::ApplyResourceEdit(next, e, now, result.notices);
        }
      },
      edit);
  PL_RETURN_IF_ERROR(s);
  if (!(next.config == doc.config)) {
    PL_RETURN_IF_ERROR(Validate(next.config));
    next.versions.epoch++;
    next.versions.num_updates = 0;
    result.changed = true;
  } else if (!(next.status == doc.status)) {
    next.versions.num_updates++;
    result.changed = true;
  }
  doc = std::move(next);
  return result;
}

}  // namespace paceline::cib
