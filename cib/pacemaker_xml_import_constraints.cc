// Pacemaker XML constraints -> our Location/Colocation/Order. What the model
// cannot express (resource sets, rsc-pattern, score-attribute, rules other
// than crmsh's cli-prefer form, tickets) is refused naming the constraint.
#include "cib/duration.h"
#include "cib/pacemaker_xml_internal.h"
#include "common/strings.h"

namespace paceline::cib::pacemaker {

namespace {

Status Refuse(std::string_view kind, const std::string& id,
              std::string_view why) {
  return Status::Invalid("Pacemaker XML: " + std::string(kind) + " " + id +
                         ": " + std::string(why));
}

Status RefuseCommon(std::string_view kind, const std::string& id,
                    const Tree& e) {
  if (e.Child("resource_set")) {
    return Refuse(kind, id,
                  "resource sets are not supported; write one constraint per "
                  "pair of resources");
  }
  if (Attr(e, "score-attribute")) {
    return Refuse(kind, id, "score-attribute is not supported");
  }
  if (Attr(e, "lifetime")) {
    return Refuse(kind, id,
                  "the deprecated lifetime attribute is not supported");
  }
  return Status::Ok();
}

Result<Role> ReadRole(std::string_view kind, const std::string& id,
                      const Tree& e, std::string_view name) {
  std::optional<std::string_view> v = Attr(e, name);
  if (!v) return Role::kUnknown;
  auto role = ParseRole(*v);
  if (!role) {
    return Status::Syntax("Pacemaker XML: " + std::string(kind) + " " + id +
                          ": " + std::string(name) + "=" + Quote(*v) +
                          " is not a role");
  }
  return *role;
}

Result<Score> ReadScore(std::string_view kind, const std::string& id,
                        const std::string& text) {
  auto score = ParseScore(text);
  if (!score.ok()) {
    return score.status().WithContext("Pacemaker XML: " + std::string(kind) +
                                      " " + id);
  }
  return *score;
}

// Pacemaker's own spelling of a date (crm_resource writes
// "2026-11-25 11:00:00 +00:00") and ISO 8601.
Result<WallTime> ParseDate(const std::string& text) {
  auto t = ParseTimestamp(text);
  if (t.ok()) return t;
  size_t blank = text.rfind(' ');
  if (blank != std::string::npos && blank + 1 < text.size() &&
      (text[blank + 1] == '+' || text[blank + 1] == '-')) {
    auto joined =
        ParseTimestamp(text.substr(0, blank) + text.substr(blank + 1));
    if (joined.ok()) return joined;
  }
  return t;
}

// The one rule form the model holds: `#uname eq NODE`, optionally `and
// date lt END` (crm_resource --move --lifetime and crmsh's migrate).
Status ReadLocationRule(const Tree& rule, Location* l) {
  const std::string& id = l->id;
  if (Attr(rule, "score-attribute")) {
    return Refuse("location", id, "rule score-attribute is not supported");
  }
  PL_ASSIGN_OR_RETURN(l->score,
                      ReadScore("location", id, AttrOr(rule, "score", "0")));
  if (Attr(rule, "role")) {
    PL_ASSIGN_OR_RETURN(Role role, ReadRole("location", id, rule, "role"));
    if (l->role != Role::kUnknown && role != l->role) {
      return Refuse("location", id,
                    "the rule's role differs from the "
                    "constraint's");
    }
    l->role = role;
  }
  std::string op = ToLower(AttrOr(rule, "boolean-op", "and"));
  int expressions = 0;
  for (const auto& [key, child] : rule) {
    if (key.empty() || key[0] == '<') continue;
    ++expressions;
    if (key == "expression" && AttrOr(child, "attribute") == "#uname" &&
        AttrOr(child, "operation") == "eq" && l->node.empty() &&
        !Attr(child, "value-source")) {
      l->node = AttrOr(child, "value");
    } else if (key == "date_expression" && AttrOr(child, "operation") == "lt" &&
               Attr(child, "end") && !l->expires) {
      auto end = ParseDate(AttrOr(child, "end"));
      if (!end.ok()) {
        return end.status().WithContext("Pacemaker XML: location " + id);
      }
      l->expires = *end;
    } else {
      return Refuse("location", id,
                    "only rules of the form `#uname eq NODE [and date lt "
                    "END]` are supported (found <" +
                        std::string(key) + ">)");
    }
  }
  if (l->node.empty() || (expressions > 1 && op != "and")) {
    return Refuse("location", id,
                  "only rules of the form `#uname eq NODE [and date lt END]` "
                  "are supported");
  }
  return Status::Ok();
}

Status ImportLocation(const Tree& e, Configuration* c) {
  Location l;
  l.id = AttrOr(e, "id");
  if (Attr(e, "rsc-pattern")) {
    return Refuse("location", l.id,
                  "rsc-pattern is not supported; write one location per "
                  "resource");
  }
  PL_RETURN_IF_ERROR(RefuseCommon("location", l.id, e));
  l.rsc = AttrOr(e, "rsc");
  PL_ASSIGN_OR_RETURN(l.role, ReadRole("location", l.id, e, "role"));
  l.resource_discovery = AttrOr(e, "resource-discovery");
  std::vector<const Tree*> rules;
  for (const auto& [key, child] : e) {
    if (key == "rule") rules.push_back(&child);
  }
  if (std::optional<std::string_view> node = Attr(e, "node")) {
    if (!rules.empty()) {
      return Refuse("location", l.id, "has both node and a rule");
    }
    l.node = *node;
    PL_ASSIGN_OR_RETURN(l.score,
                        ReadScore("location", l.id, AttrOr(e, "score", "0")));
  } else if (rules.size() == 1) {
    PL_RETURN_IF_ERROR(ReadLocationRule(*rules[0], &l));
  } else {
    return Refuse("location", l.id,
                  rules.empty() ? "names neither a node nor a rule"
                                : "several rules are not supported");
  }
  c->constraints.push_back(std::move(l));
  return Status::Ok();
}

Status ImportColocation(const Tree& e, Configuration* c) {
  Colocation co;
  co.id = AttrOr(e, "id");
  PL_RETURN_IF_ERROR(RefuseCommon("colocation", co.id, e));
  if (Attr(e, "rsc-instance") || Attr(e, "with-rsc-instance")) {
    return Refuse("colocation", co.id,
                  "clone instance colocation is not "
                  "supported");
  }
  if (std::optional<std::string_view> a = Attr(e, "node-attribute");
      a && *a != "#uname") {
    return Refuse("colocation", co.id,
                  "node-attribute=" + Quote(*a) + " is not supported");
  }
  if (std::optional<std::string_view> inf = Attr(e, "influence")) {
    bool b = true;
    if (!ParseBool(*inf, &b) || !b) {
      return Refuse("colocation", co.id, "influence=false is not supported");
    }
  }
  if (!Attr(e, "score")) {
    return Refuse("colocation", co.id, "has no score");
  }
  PL_ASSIGN_OR_RETURN(co.score,
                      ReadScore("colocation", co.id, AttrOr(e, "score")));
  co.rsc = AttrOr(e, "rsc");
  co.with_rsc = AttrOr(e, "with-rsc");
  PL_ASSIGN_OR_RETURN(co.rsc_role,
                      ReadRole("colocation", co.id, e, "rsc-role"));
  PL_ASSIGN_OR_RETURN(co.with_rsc_role,
                      ReadRole("colocation", co.id, e, "with-rsc-role"));
  c->constraints.push_back(std::move(co));
  return Status::Ok();
}

Result<Action> ReadAction(const std::string& id, const Tree& e,
                          std::string_view name) {
  std::optional<std::string_view> v = Attr(e, name);
  if (!v) return Action::kUnspecified;
  auto action = ParseAction(*v);
  if (!action) {
    return Status::Invalid("Pacemaker XML: order " + id + ": " +
                           std::string(name) + "=" + Quote(*v) +
                           " is not supported (start, stop, promote, demote)");
  }
  return *action;
}

Status ImportOrder(ImportContext& ctx, const Tree& e, Configuration* c) {
  Order o;
  o.id = AttrOr(e, "id");
  PL_RETURN_IF_ERROR(RefuseCommon("order", o.id, e));
  if (Attr(e, "first-instance") || Attr(e, "then-instance")) {
    return Refuse("order", o.id, "clone instance ordering is not supported");
  }
  o.first = AttrOr(e, "first");
  o.then = AttrOr(e, "then");
  PL_ASSIGN_OR_RETURN(o.first_action, ReadAction(o.id, e, "first-action"));
  PL_ASSIGN_OR_RETURN(o.then_action, ReadAction(o.id, e, "then-action"));
  if (std::optional<std::string_view> kind = Attr(e, "kind")) {
    o.kind = ParseOrderKind(*kind);
    if (!o.kind) {
      return Status::Syntax("Pacemaker XML: order " + o.id +
                            ": kind=" + Quote(*kind) +
                            " (expected Mandatory, Optional or Serialize)");
    }
    if (Attr(e, "score")) {
      ctx.Note("order " + o.id +
               ": both kind and score given; kind wins, as "
               "in Pacemaker");
    }
  } else if (std::optional<std::string_view> score = Attr(e, "score")) {
    PL_ASSIGN_OR_RETURN(o.score, ReadScore("order", o.id, std::string(*score)));
  }
  if (std::optional<std::string_view> sym = Attr(e, "symmetrical")) {
    bool b = true;
    if (!ParseBool(*sym, &b)) {
      return Status::Syntax("Pacemaker XML: order " + o.id + ": symmetrical=" +
                            Quote(*sym) + " (expected true or false)");
    }
    o.symmetrical = b;
  }
  c->constraints.push_back(std::move(o));
  return Status::Ok();
}

}  // namespace

Status ImportConstraints(ImportContext& ctx, const Tree& constraints,
                         Configuration* config) {
  for (const auto& [key, e_in] : constraints) {
    if (key.empty() || key[0] == '<') continue;
    PL_ASSIGN_OR_RETURN(const Tree* e, ctx.Resolve(key, e_in));
    if (key == "rsc_location") {
      PL_RETURN_IF_ERROR(ImportLocation(*e, config));
    } else if (key == "rsc_colocation") {
      PL_RETURN_IF_ERROR(ImportColocation(*e, config));
    } else if (key == "rsc_order") {
      PL_RETURN_IF_ERROR(ImportOrder(ctx, *e, config));
    } else {
      return Status::Invalid("Pacemaker XML: " + Describe(key, *e) + ": " +
                             std::string(key) +
                             " constraints are not supported");
    }
  }
  return Status::Ok();
}

}  // namespace paceline::cib::pacemaker
