// Resource statements of the crm grammar: primitive, group, clone and ms,
// and the params/meta/utilization/op sections they share with `node`.
#include <algorithm>

#include "cli/crm/parser_internal.h"
#include "common/strings.h"

namespace paceline::cli::crm::internal {

namespace {

// "params, meta or op": the sections `targets` accepts, for messages.
std::string ExpectedSections(const SectionTargets& targets) {
  std::vector<std::string> names;
  if (targets.attributes) names.push_back("attributes");
  if (targets.params) names.push_back("params");
  if (targets.meta) names.push_back("meta");
  if (targets.utilization) names.push_back("utilization");
  if (targets.ops) names.push_back("op");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

cib::Attributes* ListFor(const SectionTargets& targets, std::string_view word) {
  if (IEquals(word, "params")) return targets.params;
  if (IEquals(word, "meta")) return targets.meta;
  if (IEquals(word, "utilization")) return targets.utilization;
  if (IEquals(word, "attributes")) return targets.attributes;
  return nullptr;
}

// `op NAME [K=V...]`; the cursor is at `op`. Attributes are kept as written
// (interval=15 stays "15"): validate.h reads them as durations later.
Status ReadOperation(Cursor& cur, std::vector<cib::Operation>* ops) {
  cur.Next();
  if (cur.AtEnd()) {
    return cur.Missing(
        "operation name after 'op' (expected e.g. op monitor interval=10s)");
  }
  const std::string& name = cur.Peek();
  if (name.empty() || IsNameValue(name) || IsSectionKeyword(name)) {
    return cur.Error(
        "expected an operation name after 'op' (e.g. monitor), got " +
        Quote(name));
  }
  cib::Operation op;
  op.name = cur.Next();
  PL_RETURN_IF_ERROR(ReadAttributes(cur, "op " + op.name, &op.attrs, 0));
  ops->push_back(std::move(op));
  return Status::Ok();
}

// " before 'tok'" when the statement goes on with something else.
std::string Before(const Cursor& cur) {
  return cur.AtEnd() ? std::string() : " before " + Quote(cur.Peek());
}

}  // namespace

Status ReadSections(Cursor& cur, const SectionTargets& targets) {
  if (targets.implicit && !cur.AtEnd() && IsNameValue(cur.Peek())) {
    PL_RETURN_IF_ERROR(ReadAttributes(cur, cur.Previous(), targets.implicit));
  }
  while (!cur.AtEnd()) {
    const std::string& word = cur.Peek();
    if (targets.ops && IEquals(word, "op")) {
      PL_RETURN_IF_ERROR(ReadOperation(cur, targets.ops));
      continue;
    }
    cib::Attributes* list = ListFor(targets, word);
    if (list == nullptr) return cur.Unexpected(ExpectedSections(targets));
    std::string section = ToLower(cur.Next());
    PL_RETURN_IF_ERROR(ReadAttributes(cur, section, list));
  }
  return Status::Ok();
}

Result<cib::ConfigObject> ParsePrimitive(Cursor& cur) {
  cib::Resource r;
  r.kind = cib::ResourceKind::kPrimitive;
  PL_ASSIGN_OR_RETURN(r.id, ReadId(cur));
  if (cur.AtEnd()) {
    return cur.Missing("agent (expected CLASS:PROVIDER:TYPE or lsb:NAME)");
  }
  if (StartsWith(cur.Peek(), "@")) {
    return cur.Error("templates are not supported (" + Quote(cur.Peek()) +
                     "; give the agent, e.g. ocf:heartbeat:IPaddr2)");
  }
  // crmsh shows ocf:heartbeat agents by their bare type (`primitive vip
  // IPaddr2`), and accepts that back: heartbeat is the default provider.
  std::string spec = cur.Next();
  if (spec.find(':') == std::string::npos) spec = "ocf:heartbeat:" + spec;
  auto agent = cib::ParseAgentSpec(spec);
  if (!agent.ok()) return agent.status().WithContext(cur.context());
  r.agent = std::move(agent).value();
  ReadDescription(cur, &r.description);
  SectionTargets targets;
  targets.params = &r.params;
  targets.meta = &r.meta;
  targets.utilization = &r.utilization;
  targets.ops = &r.ops;
  targets.implicit = &r.params;
  PL_RETURN_IF_ERROR(ReadSections(cur, targets));
  return cib::ConfigObject{std::move(r)};
}

Result<cib::ConfigObject> ParseGroup(Cursor& cur) {
  cib::Resource r;
  r.kind = cib::ResourceKind::kGroup;
  PL_ASSIGN_OR_RETURN(r.id, ReadId(cur));
  while (!cur.AtEnd() && !IsNameValue(cur.Peek()) &&
         !IsSectionKeyword(cur.Peek())) {
    const std::string& member = cur.Next();
    PL_RETURN_IF_ERROR(CheckResourceId(cur, member));
    if (std::find(r.children.begin(), r.children.end(), member) !=
        r.children.end()) {
      return cur.Error("member " + Quote(member) + " is listed twice");
    }
    r.children.push_back(member);
  }
  if (r.children.empty()) {
    return cur.Missing("members" + Before(cur) +
                       " (expected group ID RSC... [meta K=V...])");
  }
  ReadDescription(cur, &r.description);
  SectionTargets targets;
  targets.params = &r.params;
  targets.meta = &r.meta;
  targets.implicit = &r.params;
  PL_RETURN_IF_ERROR(ReadSections(cur, targets));
  return cib::ConfigObject{std::move(r)};
}

Result<cib::ConfigObject> ParseClone(Cursor& cur, bool ms) {
  cib::Resource r;
  r.kind = cib::ResourceKind::kClone;
  PL_ASSIGN_OR_RETURN(r.id, ReadId(cur));
  if (cur.AtEnd() || IsNameValue(cur.Peek()) || IsSectionKeyword(cur.Peek())) {
    return cur.Missing("child resource" + Before(cur) + " (expected " +
                       std::string(ms ? "ms" : "clone") +
                       " ID CHILD [meta K=V...])");
  }
  const std::string& child = cur.Next();
  PL_RETURN_IF_ERROR(CheckResourceId(cur, child));
  r.children.push_back(child);
  if (!cur.AtEnd() && !IsNameValue(cur.Peek()) &&
      !IsSectionKeyword(cur.Peek())) {
    return cur.Unexpected("one child only, then description=, params or meta");
  }
  ReadDescription(cur, &r.description);
  SectionTargets targets;
  targets.params = &r.params;
  targets.meta = &r.meta;
  targets.implicit = &r.params;
  PL_RETURN_IF_ERROR(ReadSections(cur, targets));
  if (ms) {
    r.promotable = true;
    r.ms_syntax = true;
  } else if (const std::string* value = r.meta.Get("promotable")) {
    // The meta entry stays as written so `show` gives it back; the flag is
    // what the scheduler reads.
    if (!ParseBool(*value, &r.promotable)) {
      return cur.Error("invalid boolean " + Quote(*value) +
                       " for meta promotable (expected true or false)");
    }
  }
  return cib::ConfigObject{std::move(r)};
}

}  // namespace paceline::cli::crm::internal
