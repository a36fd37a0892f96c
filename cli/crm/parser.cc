// The crm grammar's entry point, the pieces every statement shares, and the
// small statements (node, property sets). Resources live in
// parser_resources.cc, constraints in parser_constraints.cc.
#include "cli/crm/parser.h"

#include <array>

#include "cib/validate.h"
#include "cli/crm/parser_internal.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace internal {

Cursor::Cursor(const Tokens& tokens) : tokens_(tokens) {
  if (!tokens.empty()) context_ = ToLower(tokens[0]);
}

std::string Cursor::Describe() const {
  return AtEnd() ? std::string("end of statement") : Quote(Peek());
}

void Cursor::SetId(std::string_view id) { context_ += " " + std::string(id); }

Status Cursor::Error(const std::string& message) const {
  return Status::Syntax(context_ + ": " + message);
}

Status Cursor::Missing(const std::string& what) const {
  return Error("missing " + what);
}

Status Cursor::Unexpected(const std::string& expected) const {
  return Error("unexpected " + Describe() + " (expected " + expected + ")");
}

bool IsSectionKeyword(std::string_view token) {
  for (std::string_view k :
       {"params", "meta", "utilization", "op", "attributes"}) {
    if (IEquals(token, k)) return true;
  }
  return false;
}

bool IsNameValue(std::string_view token) {
  return token.find('=') != std::string_view::npos;
}

bool IsValidId(std::string_view id) { return cib::IsValidId(id); }

namespace {

std::string InvalidIdMessage(std::string_view id) {
  if (IsSectionKeyword(id)) {
    return "invalid id " + Quote(id) + " (it is a keyword of the crm syntax)";
  }
  return "invalid id " + Quote(id) +
         " (expected a letter or '_' followed by letters, digits, '_', '.' "
         "or '-')";
}

}  // namespace

Result<std::string> ReadId(Cursor& cur) {
  if (cur.AtEnd()) return cur.Missing("id");
  const std::string& id = cur.Next();
  if (!IsValidId(id)) return cur.Error(InvalidIdMessage(id));
  cur.SetId(id);
  return id;
}

Status CheckResourceId(const Cursor& cur, std::string_view id) {
  if (IsValidId(id)) return Status::Ok();
  return cur.Error(InvalidIdMessage(id));
}

Status CheckNodeName(const Cursor& cur, std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) {
    ok = ok && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ':' &&
         c != '=' && c != '"' && c != '\'' && c != '\\';
  }
  if (ok) return Status::Ok();
  return cur.Error("invalid node name " + Quote(name) +
                   " (expected a host name without blanks, quotes, ':' or "
                   "'=')");
}

Status ReadAttributes(Cursor& cur, std::string_view after,
                      cib::Attributes* attrs, int min_pairs) {
  int pairs = 0;
  while (!cur.AtEnd() && !IsSectionKeyword(cur.Peek())) {
    const std::string& token = cur.Peek();
    size_t eq = token.find('=');
    if (eq == std::string::npos || eq == 0) break;
    // Split at the first '=': values may contain '=' (e.g. options=a=b).
    attrs->Set(token.substr(0, eq), token.substr(eq + 1));
    cur.Next();
    ++pairs;
  }
  bool stray = !cur.AtEnd() && !IsSectionKeyword(cur.Peek());
  if (stray || pairs < min_pairs) {
    return cur.Error("expected NAME=VALUE after " + Quote(after) + ", got " +
                     cur.Describe());
  }
  return Status::Ok();
}

void ReadDescription(Cursor& cur, std::string* description) {
  constexpr std::string_view kKey = "description=";
  if (cur.AtEnd() || cur.Peek().size() < kKey.size()) return;
  if (!IEquals(std::string_view(cur.Peek()).substr(0, kKey.size()), kKey)) {
    return;
  }
  *description = cur.Next().substr(kKey.size());
}

Result<Reference> SplitReference(const Cursor& cur, std::string_view token) {
  Reference ref;
  size_t colon = token.rfind(':');
  ref.rsc = std::string(token.substr(0, colon));
  if (colon != std::string_view::npos) {
    ref.suffix = std::string(token.substr(colon + 1));
    if (ref.suffix.empty()) {
      return cur.Error("nothing after ':' in " + Quote(token) +
                       " (expected RSC or RSC:ROLE / RSC:ACTION)");
    }
  }
  PL_RETURN_IF_ERROR(CheckResourceId(cur, ref.rsc));
  return ref;
}

Result<cib::Role> ParseRoleToken(const Cursor& cur, std::string_view role,
                                 std::string_view token) {
  if (auto parsed = cib::ParseRole(role)) return *parsed;
  return cur.Error("unknown role " + Quote(role) + " in " + Quote(token) +
                   " (expected Started, Stopped, Promoted or Unpromoted; "
                   "Master and Slave also work)");
}

bool IsScoreToken(std::string_view token) {
  return token.size() >= 2 && token.back() == ':' && !IsNameValue(token);
}

Result<cib::Score> ParseScoreToken(const Cursor& cur, std::string_view token) {
  auto score = cib::ParseScore(token.substr(0, token.size() - 1));
  if (!score.ok()) return score.status().WithContext(cur.context());
  return *score;
}

}  // namespace internal

namespace {

using internal::Cursor;

// `node [ID:|$id=ID] NAME[:TYPE]`: the optional numeric node id.
Status ReadNodeId(Cursor& cur, cib::Node* node) {
  if (cur.AtEnd()) return Status::Ok();
  std::string_view token = cur.Peek();
  std::string_view digits;
  if (StartsWith(token, "$id=")) {
    digits = token.substr(4);
  } else if (internal::IsScoreToken(token)) {
    digits = token.substr(0, token.size() - 1);
  } else {
    return Status::Ok();
  }
  long long id = 0;
  if (!ParseInt64(digits, &id) || id <= 0 || id > 0xffffffffLL ||
      digits[0] == '+') {
    return cur.Error("invalid node id " + Quote(token) +
                     " (expected a positive number, e.g. node 1: node1)");
  }
  node->id = static_cast<unsigned>(id);
  cur.Next();
  return Status::Ok();
}

Result<cib::ConfigObject> ParseNode(Cursor& cur) {
  cib::Node node;
  PL_RETURN_IF_ERROR(ReadNodeId(cur, &node));
  if (cur.AtEnd()) {
    return cur.Missing("node name (expected node [ID:] NAME[:TYPE])");
  }
  const std::string& token = cur.Next();
  size_t colon = token.rfind(':');
  node.name = token.substr(0, colon);
  PL_RETURN_IF_ERROR(internal::CheckNodeName(cur, node.name));
  cur.SetId(node.name);
  if (colon != std::string::npos) {
    node.type = token.substr(colon + 1);
    bool known = false;
    for (std::string_view t : {"normal", "member", "ping", "remote"}) {
      known = known || IEquals(node.type, t);
    }
    if (!known) {
      return cur.Error("unknown node type " + Quote(node.type) +
                       " (expected normal, member, ping or remote)");
    }
  }
  internal::ReadDescription(cur, &node.description);
  internal::SectionTargets targets;
  targets.attributes = &node.attributes;
  targets.utilization = &node.utilization;
  targets.implicit = &node.attributes;
  PL_RETURN_IF_ERROR(internal::ReadSections(cur, targets));
  return cib::ConfigObject{std::move(node)};
}

// `property|rsc_defaults|op_defaults [SET_ID:|$id=SET_ID] K=V...`. Paceline
// keeps one set per section, so the set id is accepted and dropped.
Result<cib::ConfigObject> ParsePropertySet(Cursor& cur,
                                           cib::PropertySet::Section section) {
  cib::PropertySet set;
  set.section = section;
  std::string after = cur.Previous();
  if (!cur.AtEnd() &&
      (internal::IsScoreToken(cur.Peek()) || StartsWith(cur.Peek(), "$id="))) {
    after = cur.Next();
  }
  PL_RETURN_IF_ERROR(internal::ReadAttributes(cur, after, &set.attrs));
  if (!cur.AtEnd()) {
    return cur.Error("expected NAME=VALUE, got " + cur.Describe());
  }
  return cib::ConfigObject{std::move(set)};
}

using StatementParser = Result<cib::ConfigObject> (*)(Cursor&);

struct Keyword {
  std::string_view word;
  StatementParser parse;
};

const std::array<Keyword, 13>& Keywords() {
  using Section = cib::PropertySet::Section;
  static const std::array<Keyword, 13> kKeywords = {{
      {"node", ParseNode},
      {"primitive", internal::ParsePrimitive},
      {"group", internal::ParseGroup},
      {"clone", [](Cursor& c) { return internal::ParseClone(c, false); }},
      {"ms", [](Cursor& c) { return internal::ParseClone(c, true); }},
      {"master", [](Cursor& c) { return internal::ParseClone(c, true); }},
      {"location", internal::ParseLocation},
      {"colocation", internal::ParseColocation},
      {"collocation", internal::ParseColocation},
      {"order", internal::ParseOrder},
      {"property",
       [](Cursor& c) {
         return ParsePropertySet(c, Section::kClusterProperties);
       }},
      {"rsc_defaults",
       [](Cursor& c) { return ParsePropertySet(c, Section::kRscDefaults); }},
      {"op_defaults",
       [](Cursor& c) { return ParsePropertySet(c, Section::kOpDefaults); }},
  }};
  return kKeywords;
}

const Keyword* FindKeyword(std::string_view word) {
  for (const auto& k : Keywords()) {
    if (IEquals(k.word, word)) return &k;
  }
  return nullptr;
}

constexpr std::string_view kKeywordList =
    "node, primitive, group, clone, ms, location, colocation, order, "
    "property, rsc_defaults, op_defaults";

}  // namespace

Result<cib::ConfigObject> ParseConfigObject(const Tokens& tokens) {
  if (tokens.empty()) {
    return Status::Syntax(
        "empty statement (expected one of: " + std::string(kKeywordList) + ")");
  }
  const Keyword* keyword = FindKeyword(tokens[0]);
  if (keyword == nullptr) {
    return Status::Syntax("unknown configure command " + Quote(tokens[0]) +
                          " (expected one of: " + std::string(kKeywordList) +
                          ")");
  }
  // Messages use the canonical statement name (aliases are for input).
  Tokens canonical = tokens;
  if (IEquals(tokens[0], "master")) canonical[0] = "ms";
  if (IEquals(tokens[0], "collocation")) canonical[0] = "colocation";
  Cursor cur(canonical);
  return keyword->parse(cur);
}

bool IsConfigObjectKeyword(std::string_view word) {
  return FindKeyword(word) != nullptr;
}

}  // namespace paceline::cli::crm
