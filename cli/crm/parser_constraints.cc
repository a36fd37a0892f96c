// Constraint statements of the crm grammar: location, colocation, order.
// Only the two-resource forms are supported; resource sets are refused
// with a message saying so rather than half-parsed.
#include "cib/duration.h"
#include "cli/crm/parser_internal.h"
#include "common/strings.h"

namespace paceline::cli::crm::internal {

namespace {

constexpr std::string_view kRuleForms =
    "supported: #uname eq NODE [and date lt TIMESTAMP]";

bool IsSetSyntax(std::string_view token) {
  if (token.empty()) return false;
  return token.find_first_of("()[]{}") != std::string_view::npos ||
         token.front() == '/';
}

std::vector<std::string> Rest(Cursor& cur) {
  std::vector<std::string> rest;
  while (!cur.AtEnd()) rest.push_back(cur.Next());
  return rest;
}

// The RSC[:SUFFIX] RSC[:SUFFIX] tail of colocation and order. `after` is the
// token before the tail and `form` what it should look like, for messages.
Status CheckTwoResources(const Cursor& cur,
                         const std::vector<std::string>& rest,
                         std::string_view after, std::string_view form) {
  auto sets = [&](const std::string& token) {
    return cur.Error(Quote(token) +
                     " makes a resource set; resource sets are not supported "
                     "yet (give exactly two resources)");
  };
  for (const auto& token : rest) {
    if (IsSetSyntax(token)) return sets(token);
    if (IsNameValue(token)) {
      return cur.Error("unexpected " + Quote(token) + " (expected " +
                       std::string(form) + ")");
    }
  }
  if (rest.size() > 2) return sets(rest[2]);
  if (rest.empty()) {
    return cur.Missing("resources after " + Quote(after) + " (expected " +
                       std::string(form) + ")");
  }
  if (rest.size() == 1) {
    return cur.Missing("second resource after " + Quote(rest[0]) +
                       " (expected " + std::string(form) + ")");
  }
  return Status::Ok();
}

Result<cib::Action> ParseActionToken(const Cursor& cur, std::string_view action,
                                     std::string_view token) {
  if (auto parsed = cib::ParseAction(action)) return *parsed;
  return cur.Error("unknown action " + Quote(action) + " in " + Quote(token) +
                   " (expected start, stop, promote or demote)");
}

// Reads [role=ROLE] [resource-discovery=X] in any order.
Status ReadLocationOptions(Cursor& cur, cib::Location* loc) {
  while (!cur.AtEnd() && IsNameValue(cur.Peek())) {
    const std::string& token = cur.Peek();
    size_t eq = token.find('=');
    std::string name = ToLower(token.substr(0, eq));
    std::string value = token.substr(eq + 1);
    if (name == "role" || name == "$role") {
      PL_ASSIGN_OR_RETURN(loc->role, ParseRoleToken(cur, value, token));
    } else if (name == "resource-discovery") {
      std::string lower = ToLower(value);
      if (lower != "always" && lower != "never" && lower != "exclusive") {
        return cur.Error("invalid resource-discovery " + Quote(value) +
                         " (expected always, never or exclusive)");
      }
      loc->resource_discovery = lower;
    } else {
      return cur.Unexpected(
          "role=ROLE, resource-discovery=always|never|exclusive or SCORE: "
          "NODE");
    }
    cur.Next();
  }
  return Status::Ok();
}

// `#uname eq NODE [and date lt TIMESTAMP]`, the only rule crmsh shows for
// the constraints Paceline keeps (cli-prefer with a lifetime).
Status ReadRuleExpression(const Cursor& cur,
                          const std::vector<std::string>& expr,
                          cib::Location* loc) {
  auto unsupported = [&] {
    return cur.Error("unsupported rule expression " + Quote(Join(expr, " ")) +
                     " (" + std::string(kRuleForms) + ")");
  };
  if (expr.empty()) {
    return cur.Missing("rule expression (" + std::string(kRuleForms) + ")");
  }
  if (expr.size() != 3 && expr.size() != 7) return unsupported();
  if (!IEquals(expr[0], "#uname") ||
      !(IEquals(expr[1], "eq") || IEquals(expr[1], "string:eq"))) {
    return unsupported();
  }
  PL_RETURN_IF_ERROR(CheckNodeName(cur, expr[2]));
  loc->node = expr[2];
  if (expr.size() == 3) return Status::Ok();
  if (!IEquals(expr[3], "and") || !IEquals(expr[4], "date") ||
      !IEquals(expr[5], "lt")) {
    return unsupported();
  }
  auto expires = cib::ParseTimestamp(expr[6]);
  if (!expires.ok()) return expires.status().WithContext(cur.context());
  loc->expires = *expires;
  return Status::Ok();
}

// `rule [$id=X] [$role=ROLE] [SCORE:] EXPRESSION`; the cursor is at `rule`.
Status ReadLocationRule(Cursor& cur, cib::Location* loc) {
  cur.Next();
  while (!cur.AtEnd() && IsNameValue(cur.Peek())) {
    const std::string& token = cur.Peek();
    size_t eq = token.find('=');
    std::string name = ToLower(token.substr(0, eq));
    if (name == "$role" || name == "role") {
      PL_ASSIGN_OR_RETURN(cib::Role role,
                          ParseRoleToken(cur, token.substr(eq + 1), token));
      if (loc->role != cib::Role::kUnknown && loc->role != role) {
        return cur.Error("conflicting roles: location has role=" +
                         std::string(cib::RoleName(loc->role)) +
                         " but the rule has " + Quote(token));
      }
      loc->role = role;
    } else if (name != "$id") {  // rule ids are generated, not kept
      return cur.Unexpected("$id=ID, $role=ROLE or SCORE: after 'rule'");
    }
    cur.Next();
  }
  // crmsh's default rule score is INFINITY.
  loc->score = cib::Score::Infinity();
  if (!cur.AtEnd() && IsScoreToken(cur.Peek())) {
    PL_ASSIGN_OR_RETURN(loc->score, ParseScoreToken(cur, cur.Next()));
  }
  return ReadRuleExpression(cur, Rest(cur), loc);
}

}  // namespace

Result<cib::ConfigObject> ParseLocation(Cursor& cur) {
  cib::Location loc;
  PL_ASSIGN_OR_RETURN(loc.id, ReadId(cur));
  if (cur.AtEnd()) {
    return cur.Missing(
        "resource (expected location ID RSC [role=ROLE] SCORE: NODE)");
  }
  if (IsSetSyntax(cur.Peek())) {
    return cur.Error(Quote(cur.Peek()) +
                     " makes a resource set or pattern; those are not "
                     "supported yet (give exactly one resource)");
  }
  loc.rsc = cur.Next();
  PL_RETURN_IF_ERROR(CheckResourceId(cur, loc.rsc));
  PL_RETURN_IF_ERROR(ReadLocationOptions(cur, &loc));
  if (cur.AtEnd()) {
    return cur.Missing("score and node after " + Quote(cur.Previous()) +
                       " (expected SCORE: NODE, e.g. inf: node1)");
  }
  if (IEquals(cur.Peek(), "rule")) {
    PL_RETURN_IF_ERROR(ReadLocationRule(cur, &loc));
    return cib::ConfigObject{cib::Constraint{std::move(loc)}};
  }
  if (!IsScoreToken(cur.Peek())) {
    return cur.Unexpected("SCORE: NODE, e.g. inf: node1, or a rule");
  }
  PL_ASSIGN_OR_RETURN(loc.score, ParseScoreToken(cur, cur.Next()));
  if (cur.AtEnd()) {
    return cur.Missing("node after " + Quote(cur.Previous()) +
                       " (expected SCORE: NODE, e.g. inf: node1)");
  }
  loc.node = cur.Next();
  PL_RETURN_IF_ERROR(CheckNodeName(cur, loc.node));
  if (!cur.AtEnd()) return cur.Unexpected("nothing after the node");
  return cib::ConfigObject{cib::Constraint{std::move(loc)}};
}

Result<cib::ConfigObject> ParseColocation(Cursor& cur) {
  constexpr std::string_view kForm = "RSC[:ROLE] WITH_RSC[:ROLE]";
  cib::Colocation col;
  PL_ASSIGN_OR_RETURN(col.id, ReadId(cur));
  if (cur.AtEnd()) {
    return cur.Missing("score (expected colocation ID SCORE: " +
                       std::string(kForm) + ", e.g. inf: A B)");
  }
  if (!IsScoreToken(cur.Peek())) {
    return cur.Unexpected("SCORE: such as inf:, -inf: or 100:");
  }
  PL_ASSIGN_OR_RETURN(col.score, ParseScoreToken(cur, cur.Next()));
  std::string after = cur.Previous();
  std::vector<std::string> rest = Rest(cur);
  PL_RETURN_IF_ERROR(CheckTwoResources(cur, rest, after, kForm));
  PL_ASSIGN_OR_RETURN(Reference rsc, SplitReference(cur, rest[0]));
  PL_ASSIGN_OR_RETURN(Reference with, SplitReference(cur, rest[1]));
  col.rsc = rsc.rsc;
  col.with_rsc = with.rsc;
  if (!rsc.suffix.empty()) {
    PL_ASSIGN_OR_RETURN(col.rsc_role, ParseRoleToken(cur, rsc.suffix, rest[0]));
  }
  if (!with.suffix.empty()) {
    PL_ASSIGN_OR_RETURN(col.with_rsc_role,
                        ParseRoleToken(cur, with.suffix, rest[1]));
  }
  return cib::ConfigObject{cib::Constraint{std::move(col)}};
}

namespace {

// The optional SCORE:|KIND: of an order; Pacemaker's default is Mandatory,
// and the model keeps exactly one of kind and score set.
Status ReadOrderKind(Cursor& cur, cib::Order* order) {
  if (cur.AtEnd() || !IsScoreToken(cur.Peek())) {
    order->kind = cib::OrderKind::kMandatory;
    return Status::Ok();
  }
  const std::string& token = cur.Next();
  std::string_view text = std::string_view(token).substr(0, token.size() - 1);
  if (auto kind = cib::ParseOrderKind(text)) {
    order->kind = *kind;
    return Status::Ok();
  }
  auto score = cib::ParseScore(text);
  if (!score.ok()) {
    return cur.Error("invalid score or kind " + Quote(token) +
                     " (expected Mandatory:, Optional:, Serialize:, inf:, "
                     "-inf: or an integer score)");
  }
  order->score = *score;
  return Status::Ok();
}

// symmetrical=BOOL, only as the last token (as crmsh reads it).
Status TakeSymmetrical(const Cursor& cur, std::vector<std::string>* rest,
                       cib::Order* order) {
  constexpr std::string_view kKey = "symmetrical=";
  if (rest->empty()) return Status::Ok();
  std::string_view last = rest->back();
  if (last.size() < kKey.size() ||
      !IEquals(last.substr(0, kKey.size()), kKey)) {
    return Status::Ok();
  }
  bool value = false;
  if (!ParseBool(last.substr(kKey.size()), &value)) {
    return cur.Error("invalid boolean " + Quote(last.substr(kKey.size())) +
                     " for symmetrical (expected true or false)");
  }
  order->symmetrical = value;
  rest->pop_back();
  return Status::Ok();
}

}  // namespace

Result<cib::ConfigObject> ParseOrder(Cursor& cur) {
  constexpr std::string_view kForm =
      "FIRST[:ACTION] THEN[:ACTION] [symmetrical=true|false]";
  cib::Order order;
  PL_ASSIGN_OR_RETURN(order.id, ReadId(cur));
  PL_RETURN_IF_ERROR(ReadOrderKind(cur, &order));
  std::string after = cur.Previous();
  std::vector<std::string> rest = Rest(cur);
  PL_RETURN_IF_ERROR(TakeSymmetrical(cur, &rest, &order));
  PL_RETURN_IF_ERROR(CheckTwoResources(cur, rest, after, kForm));
  PL_ASSIGN_OR_RETURN(Reference first, SplitReference(cur, rest[0]));
  PL_ASSIGN_OR_RETURN(Reference then, SplitReference(cur, rest[1]));
  order.first = first.rsc;
  order.then = then.rsc;
  if (!first.suffix.empty()) {
    PL_ASSIGN_OR_RETURN(order.first_action,
                        ParseActionToken(cur, first.suffix, rest[0]));
  }
  if (!then.suffix.empty()) {
    PL_ASSIGN_OR_RETURN(order.then_action,
                        ParseActionToken(cur, then.suffix, rest[1]));
  }
  return cib::ConfigObject{cib::Constraint{std::move(order)}};
}

}  // namespace paceline::cli::crm::internal
