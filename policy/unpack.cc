// Stage 1, unpack: configuration + status -> working set. Builds the node
// table, the resource tree with clone instances, effective meta attributes,
// each primitive's current state, and the colocation/order lists with
// group endpoints resolved the way Pacemaker resolves them.
#include <algorithm>
#include <cstdint>

#include "common/strings.h"
#include "policy/working_set.h"

namespace paceline::policy::internal {

namespace {

bool Truthy(const std::string* v) {
  bool b = false;
  return v && ParseBool(*v, &b) && b;
}

const std::string* NodeAttr(const NodeInfo& n, std::string_view name) {
  if (n.status) {
    if (const auto* v = n.status->attributes.Get(name)) return v;
  }
  return n.config ? n.config->attributes.Get(name) : nullptr;
}

void UnpackNodes(WorkingSet& ws) {
  const Snapshot& s = *ws.snapshot;
  auto add = [&](const std::string& name, const cib::Node* config) {
    NodeInfo n;
    n.name = name;
    n.config = config;
    n.status = s.status.FindNode(name);
    if (n.status) {
      n.states.Build(n.status->resources);
      n.online = n.status->state == cib::NodeState::kOnline;
      n.unclean = n.status->state == cib::NodeState::kUnclean;
    }
    n.standby = Truthy(NodeAttr(n, "standby"));
    const std::string* down = NodeAttr(n, "shutdown");
    n.shutdown = down && !down->empty() && *down != "0";
    n.maintenance = Truthy(NodeAttr(n, "maintenance"));
    ws.nodes.push_back(std::move(n));
  };
  for (const auto& node : s.config.nodes) add(node.name, &node);
  for (const auto& node : s.status.nodes) {
    if (!s.config.FindNode(node.name)) add(node.name, nullptr);
  }
}

void UnpackOptions(WorkingSet& ws) {
  const auto& p = ws.snapshot->config.properties;
  bool b = true;
  if (const auto* v = p.Get("symmetric-cluster"); v && ParseBool(*v, &b)) {
    ws.symmetric = b;
  }
  if (const auto* v = p.Get("stonith-enabled"); v && ParseBool(*v, &b)) {
    ws.stonith_enabled = b;
  }
  ws.maintenance_mode = Truthy(p.Get("maintenance-mode"));
  if (const auto* v = p.Get("no-quorum-policy")) {
    ws.no_quorum_policy = ToLower(*v);
  }
  if (const auto* v = p.Get("start-failure-is-fatal"); v && ParseBool(*v, &b)) {
    ws.start_failure_is_fatal = b;
  }
}

// Meta lookup: own config, then ancestors' configs, then rsc_defaults.
const std::string* Meta(const WorkingSet& ws, const Rsc& r,
                        std::string_view name) {
  for (const Rsc* x = &r; x; x = x->parent) {
    if (x->config) {
      if (const auto* v = x->config->meta.Get(name)) return v;
    }
  }
  return ws.snapshot->config.rsc_defaults.Get(name);
}

// The first of names that is set, as an integer clamped to [lo, hi].
int MetaInt(const WorkingSet& ws, const Rsc& r,
            std::initializer_list<std::string_view> names, int fallback,
            int lo = INT32_MIN, int hi = INT32_MAX) {
  long long v = fallback;
  for (auto name : names) {
    const std::string* s = Meta(ws, r, name);
    if (s && ParseInt64(*s, &v)) break;
    v = fallback;
  }
  return int(std::clamp<long long>(v, lo, hi));
}

void UnpackMeta(WorkingSet& ws, Rsc& r) {
  r.priority = MetaInt(ws, r, {"priority"}, 0, -cib::kInfinity, cib::kInfinity);
  const std::string* sticky = Meta(ws, r, "resource-stickiness");
  if (!sticky) sticky = Meta(ws, r, "stickiness");
  if (!sticky) {  // the old cluster property (the talk sets it)
    sticky = ws.snapshot->config.properties.Get("default-resource-stickiness");
  }
  if (sticky) {
    if (auto s = cib::ParseScore(*sticky); s.ok()) r.stickiness = *s;
  } else if (r.IsClone() || r.CloneAncestor()) {
    r.stickiness = Score(1);  // Pacemaker's default for clones
  }
  if (const auto* v = Meta(ws, r, "migration-threshold")) {
    if (auto s = cib::ParseScore(*v); s.ok()) {
      r.migration_threshold = s->value() <= 0 ? Score::Infinity() : *s;
    }
  }
  if (const auto* v = Meta(ws, r, "failure-timeout")) {
    if (auto d = cib::ParseInterval(*v); d.ok() && d->count() > 0) {
      r.failure_timeout = *d;
    }
  }
  bool managed = true;
  if (const auto* v = Meta(ws, r, "is-managed")) ParseBool(*v, &managed);
  r.managed =
      managed && !Truthy(Meta(ws, r, "maintenance")) && !ws.maintenance_mode;
  if (const auto* v = Meta(ws, r, "target-role")) {
    r.target_role = cib::ParseRole(*v).value_or(Role::kUnknown);
  }
  if (r.IsClone()) {
    r.promotable = r.config->promotable;
    r.globally_unique = Truthy(r.config->meta.Get("globally-unique"));
    int nodes = int(ws.nodes.size());
    r.clone_node_max = MetaInt(ws, r, {"clone-node-max"}, 1, 0, 1000);
    // More anonymous instances than can ever run are pointless (and a huge
    // clone-max must not exhaust memory); unique ones have their own ids.
    int most = r.globally_unique ? 10000 : nodes * r.clone_node_max;
    r.clone_max = MetaInt(ws, r, {"clone-max"}, nodes, 0, most);
    r.promoted_max =
        MetaInt(ws, r, {"promoted-max", "master-max"}, 1, 0, r.clone_max);
    r.promoted_node_max = MetaInt(
        ws, r, {"promoted-node-max", "master-node-max"}, 1, 0, r.clone_max);
  }
}

Rsc* Build(WorkingSet& ws, const cib::Resource& cfg, Rsc* parent,
           int instance) {
  Rsc& r = ws.resources.emplace_back();
  r.index = int(ws.resources.size()) - 1;
  r.config = &cfg;
  r.parent = parent;
  r.instance = instance;
  r.id = instance >= 0 ? cfg.id + ":" + std::to_string(instance) : cfg.id;
  r.variant = cfg.IsPrimitive() ? Variant::kPrimitive
              : cfg.IsGroup()   ? Variant::kGroup
                                : Variant::kClone;
  if (r.IsPrimitive()) r.primitive_id = cfg.id;
  if (instance < 0) ws.by_id.emplace(cfg.id, &r);
  r.scores.assign(ws.nodes.size(), Score());
  r.own_scores.assign(ws.nodes.size(), Score());
  UnpackMeta(ws, r);
  if (r.IsGroup()) {
    for (const auto& m : cfg.children) {
      if (const auto* child = ws.config.Find(m)) {
        r.children.push_back(Build(ws, *child, &r, instance));
      }
    }
  } else if (r.IsClone() && !cfg.children.empty()) {
    if (const auto* child = ws.config.Find(cfg.children[0])) {
      for (int i = 0; i < r.clone_max; ++i) {
        r.children.push_back(Build(ws, *child, &r, i));
      }
    }
  }
  return &r;
}

// Can the node's view of its resources be trusted? Offline nodes run
// nothing; an unclean node's resources are assumed stopped only if fencing
// is disabled (the talk's setting) -- otherwise they are blocked.
bool CountsAsActive(const WorkingSet& ws, const NodeInfo& n) {
  return n.online || n.unclean;
}

// The on-fail of the operation that failed: restart by default; a failed
// stop cannot be recovered without fencing, so it blocks.
std::string OnFail(const WorkingSet& ws, const Rsc& p) {
  for (const auto& op : p.config->ops) {
    if (op.name != p.failed_action) continue;
    long long interval = 0;
    if (const auto* iv = op.attrs.Get("interval")) {
      if (auto d = cib::ParseInterval(*iv); d.ok()) interval = d->count();
    }
    if (interval != p.failed_interval_ms) continue;
    if (const auto* v = op.attrs.Get("on-fail")) return ToLower(*v);
  }
  return p.failed_action == "stop" ? "block" : "restart";
}

void SetState(WorkingSet& ws, Rsc& p, int node, const cib::ResourceState& s) {
  const NodeInfo& n = ws.nodes[size_t(node)];
  bool active = s.role != Role::kStopped && s.role != Role::kUnknown;
  // A failed entry that is not active (a start that failed there) only
  // matters through its fail count; recovery is for what still runs.
  if (s.failed && active) {
    p.failed = true;
    for (const auto& f : ws.snapshot->status.failures) {
      if (f.node == n.name &&
          (f.resource == s.id || f.resource == p.primitive_id)) {
        p.failed_action = f.action;
        p.failed_interval_ms = f.interval_ms;
      }
    }
    p.on_fail = OnFail(ws, p);
    if (p.on_fail == "ignore") p.failed = false;
    if (p.on_fail == "block") p.blocked = true;
  }
  if (s.role == Role::kStopped || s.role == Role::kUnknown) return;
  if (n.unclean) {
    if (ws.stonith_enabled) {
      p.blocked = true;
      ws.Note("fencing is not implemented: " + p.id + " on unclean node " +
              n.name + " is blocked until the node returns");
    } else {
      return;  // fencing disabled: assume the node and its resources down
    }
  }
  p.active_on.push_back(node);
  p.current_role = s.role;
  if (n.maintenance) p.managed = false;  // a node in maintenance is left alone
  if (p.active_on.size() == 2) {
    const std::string* v = p.config->meta.Get("multiple-active");
    if (v && *v == "block") p.blocked = true;
  }
}

void UnpackStatePrimitive(WorkingSet& ws, Rsc& p) {
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    const NodeInfo& n = ws.nodes[i];
    if (!n.status || !CountsAsActive(ws, n)) continue;
    if (const auto* st = n.states.Find(p.primitive_id)) {
      SetState(ws, p, int(i), *st);
    }
  }
}

// Anonymous clone instances are interchangeable: the k-th node where the
// child is active becomes instance k. Globally unique ones keep "id:N".
// Fills Rsc::primitives for r and everything under it.
void CollectPrimitives(Rsc& r) {
  r.primitives.clear();
  if (r.IsPrimitive()) {
    r.primitives.push_back(&r);
    return;
  }
  for (Rsc* c : r.children) {
    CollectPrimitives(*c);
    r.primitives.insert(r.primitives.end(), c->primitives.begin(),
                        c->primitives.end());
  }
}

// Does the node run a copy of this (cloned) configured resource?
bool ActiveCopyOn(const NodeInfo& n, const cib::Resource& r,
                  const cib::ConfigIndex& config) {
  if (r.IsPrimitive()) {
    const cib::ResourceState* st = n.states.Find(r.id);
    return st && st->role != Role::kStopped && st->role != Role::kUnknown;
  }
  for (const auto& child : r.children) {
    const cib::Resource* c = config.Find(child);
    if (c && ActiveCopyOn(n, *c, config)) return true;
  }
  return false;
}

void UnpackStateClone(WorkingSet& ws, Rsc& clone) {
  int next = 0;
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    const NodeInfo& n = ws.nodes[i];
    if (!n.status || !CountsAsActive(ws, n)) continue;
    bool any_active = false;
    if (clone.globally_unique) {
      for (Rsc* inst : clone.children) {
        const std::vector<Rsc*>& prims = inst->primitives;
        for (Rsc* p : prims) {
          if (const auto* st = n.states.Find(p->id)) {  // "id:N"
            SetState(ws, *p, int(i), *st);
          }
        }
      }
      continue;
    }
    if (!clone.globally_unique && !clone.children.empty()) {  // any history
      for (const Rsc* p : clone.children[0]->primitives) {
        const cib::ResourceState* st = n.states.Find(p->primitive_id);
        if (st && st->role != Role::kUnknown) {
          clone.known_on.push_back(int(i));
          break;
        }
      }
    }
    if (next >= int(clone.children.size())) {
      // More copies active than clone-max allows (clone-max=0 disables a
      // clone): an orphan instance, so that every extra copy is stopped in
      // this one transition.
      const cib::Resource* child =
          clone.config->children.empty()
              ? nullptr
              : ws.config.Find(clone.config->children[0]);
      if (!child || !ActiveCopyOn(n, *child, ws.config)) continue;
      Rsc* orphan = Build(ws, *child, &clone, next);
      CollectPrimitives(*orphan);
      const std::vector<Rsc*>& all = orphan->primitives;
      orphan->orphan = true;
      for (Rsc* p : all) p->orphan = true;
      clone.children.push_back(orphan);
      CollectPrimitives(clone);
    }
    const std::vector<Rsc*>& prims = clone.children[size_t(next)]->primitives;
    for (Rsc* p : prims) {
      const cib::ResourceState* st = n.states.Find(p->primitive_id);
      if (!st) continue;
      if (st->role != Role::kUnknown) p->known_on.push_back(int(i));
      bool was_active = !p->active_on.empty();
      SetState(ws, *p, int(i), *st);
      any_active = any_active || (!was_active && !p->active_on.empty());
    }
    if (any_active) ++next;
  }
}

// Resources the status knows but the configuration does not (deleted while
// running): Pacemaker stops them; we do not yet, and say so.
void NoteOrphans(WorkingSet& ws) {
  for (const NodeInfo& n : ws.nodes) {
    if (!n.status) continue;
    for (const auto& s : n.status->resources) {
      std::string_view id = s.id;
      id = id.substr(0, id.find(':'));
      bool active = s.role != Role::kStopped && s.role != Role::kUnknown;
      if (active && !ws.config.Find(id)) {
        ws.Note("orphan " + s.id + " is active on " + n.name +
                " but not configured; stopping orphans is not implemented "
                "yet");
      }
    }
  }
}

void UnpackState(WorkingSet& ws) {
  NoteOrphans(ws);
  for (Rsc* top : ws.top) {
    if (top->IsClone()) {
      UnpackStateClone(ws, *top);
      continue;
    }
    const std::vector<Rsc*>& prims = top->primitives;
    for (Rsc* p : prims) UnpackStatePrimitive(ws, *p);
  }
}

// Group endpoints: a group as dependent acts through its first member; as
// primary through its last member when mandatory (the whole group must be
// up), else through its first.
Rsc* ColocEndpoint(Rsc* r, bool dependent, bool mandatory) {
  while (r && r->IsGroup() && !r->children.empty()) {
    r = (dependent || !mandatory) ? r->children.front() : r->children.back();
  }
  return r;
}

void AddColoc(WorkingSet& ws, Coloc c) {
  Coloc& stored = ws.colocs.emplace_back(std::move(c));
  stored.dependent->this_with.push_back(&stored);
  stored.primary->with_this.push_back(&stored);
  // Pacemaker 2.1.5 keeps "X with group" on the group's last member.
  Rsc* named = stored.configured_primary
                   ? &ws.resources[size_t(stored.configured_primary->index)]
                   : stored.primary;
  while (named->IsGroup() && !named->children.empty()) {
    named = named->children.back();
  }
  named->named_with_this.push_back(&stored);
}

// The order in which a resource applies the colocations it depends on,
// Pacemaker's: primaries of higher priority first, then clones before
// groups before primitives (promotable clones first), then by the primary's
// id. It matters: a finite colocation that would leave the dependent no
// node is rolled back, so what came before decides.
bool RscFirst(const Rsc* x, const Rsc* y) {
  if (x->priority != y->priority) return x->priority > y->priority;
  if (x->variant != y->variant) return x->variant > y->variant;
  if (x->IsClone() && x->promotable != y->promotable) return x->promotable;
  return x->id < y->id;
}

bool ColocFirst(const Coloc* a, const Coloc* b) {
  return RscFirst(a->configured_primary ? a->configured_primary : a->primary,
                  b->configured_primary ? b->configured_primary : b->primary);
}

// A primary's dependents' preferences merge in the same order of the
// dependents (Pacemaker sorts them alike); it matters for a clone, whose
// own scores never turn negative: a -INFINITY merged before an INFINITY is
// dropped, after it wins.
bool DependentFirst(const Coloc* a, const Coloc* b) {
  return RscFirst(
      a->configured_dependent ? a->configured_dependent : a->dependent,
      b->configured_dependent ? b->configured_dependent : b->dependent);
}

void UnpackConstraints(WorkingSet& ws) {
  for (auto& r : ws.resources) {  // implicit: member i with member i-1
    if (!r.IsGroup()) continue;
    for (size_t i = 1; i < r.children.size(); ++i) {
      AddColoc(ws, {r.id + "-member-" + std::to_string(i), r.children[i],
                    r.children[i - 1], Score::Infinity()});
    }
  }
  for (const auto& k : ws.snapshot->config.constraints) {
    if (const auto* c = std::get_if<cib::Colocation>(&k)) {
      Rsc* dep = ws.Resolve(c->rsc);
      Rsc* pri = ws.Resolve(c->with_rsc);
      if (!dep || !pri) continue;  // validated configurations never hit this
      bool mandatory = c->score.IsInfinity();
      AddColoc(ws, {c->id, ColocEndpoint(dep, true, mandatory),
                    ColocEndpoint(pri, false, mandatory), c->score, c->rsc_role,
                    c->with_rsc_role, pri, dep});
    } else if (const auto* o = std::get_if<cib::Order>(&k)) {
      Rsc* first = ws.Resolve(o->first);
      Rsc* then = ws.Resolve(o->then);
      if (!first || !then) continue;
      Ord ord;
      ord.id = o->id;
      ord.first = first;
      ord.then = then;
      ord.first_action = o->first_action == cib::Action::kUnspecified
                             ? cib::Action::kStart
                             : o->first_action;
      ord.then_action = o->then_action == cib::Action::kUnspecified
                            ? ord.first_action
                            : o->then_action;
      ord.kind = o->EffectiveKind();
      ord.symmetrical =
          o->symmetrical.value_or(ord.kind != cib::OrderKind::kSerialize);
      ws.orders.push_back(ord);
    }
  }
  for (auto& r : ws.resources) {
    std::stable_sort(r.this_with.begin(), r.this_with.end(), ColocFirst);
    std::stable_sort(r.with_this.begin(), r.with_this.end(), DependentFirst);
    std::stable_sort(r.named_with_this.begin(), r.named_with_this.end(),
                     DependentFirst);
  }
}

}  // namespace

Status Unpack(WorkingSet& ws) {
  UnpackOptions(ws);
  UnpackNodes(ws);
  for (const cib::Resource* top : ws.snapshot->config.TopLevel()) {
    ws.top.push_back(Build(ws, *top, nullptr, -1));
    CollectPrimitives(*ws.top.back());
  }
  UnpackState(ws);
  UnpackConstraints(ws);
  return Status::Ok();
}

Rsc* Rsc::CloneAncestor() const {
  for (Rsc* p = parent; p; p = p->parent) {
    if (p->IsClone()) return p;
  }
  return nullptr;
}

const Rsc* Rsc::Top() const {
  const Rsc* r = this;
  while (r->parent) r = r->parent;
  return r;
}

int WorkingSet::NodeIndex(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == name) return int(i);
  }
  return -1;
}

Rsc* WorkingSet::Find(std::string_view id) {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : it->second;
}

Rsc* WorkingSet::Resolve(std::string_view id) {
  if (Rsc* r = Find(id)) return r;
  // Only instances exist of a cloned resource: the constraint means its
  // clone.
  const cib::Resource* clone = config.CloneOf(id);
  return clone ? Find(clone->id) : nullptr;
}

void WorkingSet::Term(const Rsc& rsc, int node, Score score, std::string source,
                      bool promotion) {
  if (!options->record_scores || !graph) return;
  graph->scores.push_back({rsc.id, node >= 0 ? nodes[size_t(node)].name : "",
                           score, std::move(source), promotion});
}

void WorkingSet::Note(std::string text) {
  if (graph && noted.insert(text).second) {
    graph->notes.push_back(std::move(text));
  }
}

}  // namespace paceline::policy::internal
