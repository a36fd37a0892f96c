// Private to the crm grammar (parser*.cc): the token cursor every statement
// parser walks with, and the pieces statements share (ids, attribute
// lists, RSC:SUFFIX references). Not for use outside cli/crm/parser*.cc.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "cib/model.h"
#include "cli/crm/lexer.h"
#include "common/status.h"

namespace paceline::cli::crm::internal {

// Walks one statement's tokens and builds its error messages, so that every
// message starts with the statement kind and id ("primitive p1: ...").
class Cursor {
 public:
  // Starts after the keyword (tokens[0]).
  explicit Cursor(const Tokens& tokens);

  bool AtEnd() const { return pos_ >= tokens_.size(); }
  size_t Remaining() const { return AtEnd() ? 0 : tokens_.size() - pos_; }
  // Precondition: !AtEnd().
  const std::string& Peek() const { return tokens_[pos_]; }
  const std::string& Next() { return tokens_[pos_++]; }
  // The token before the current one (the keyword at the start).
  const std::string& Previous() const { return tokens_[pos_ - 1]; }
  // The current token quoted, or "end of statement".
  std::string Describe() const;

  // "primitive" until the id is known, then "primitive p1".
  void SetId(std::string_view id);
  const std::string& context() const { return context_; }
  Status Error(const std::string& message) const;
  // For a statement cut short: "missing WHAT".
  Status Missing(const std::string& what) const;
  // "unexpected 'tok' (expected EXPECTED)" for the current token.
  Status Unexpected(const std::string& expected) const;

 private:
  const Tokens& tokens_;
  size_t pos_ = 1;
  std::string context_;
};

// XML-id-like: [A-Za-z_][A-Za-z0-9_.-]*, and not a section keyword (a
// resource called `meta` could not be told apart from the keyword).
bool IsValidId(std::string_view id);
// Reads the statement id, checks it and names it in the cursor's context.
Result<std::string> ReadId(Cursor& cur);
// Checks a resource reference (group member, clone child, constraint rsc).
Status CheckResourceId(const Cursor& cur, std::string_view id);
// Node names are host names: no blanks, quotes, ':' or '='.
Status CheckNodeName(const Cursor& cur, std::string_view name);

// params, meta, utilization, op, attributes (any case): they end a list.
bool IsSectionKeyword(std::string_view token);
bool IsNameValue(std::string_view token);

// Reads the NAME=VALUE pairs of one list into *attrs (last wins) until the
// end or a section keyword; `after` names what the list follows for
// messages. With min_pairs 1 an empty list is an error.
Status ReadAttributes(Cursor& cur, std::string_view after,
                      cib::Attributes* attrs, int min_pairs = 1);

// `description=TEXT` at the current token, if there is one.
void ReadDescription(Cursor& cur, std::string* description);

// Sections a resource statement accepts, and where their lists go.
struct SectionTargets {
  cib::Attributes* params = nullptr;
  cib::Attributes* meta = nullptr;
  cib::Attributes* utilization = nullptr;
  cib::Attributes* attributes = nullptr;       // nodes
  std::vector<cib::Operation>* ops = nullptr;  // primitives
  // The list a leading bare NAME=VALUE goes to, as crmsh allows
  // (`primitive p ocf:a:b ip=1` means params).
  cib::Attributes* implicit = nullptr;
};
// Reads sections until the end of the statement; anything else is an error
// listing the sections this statement accepts.
Status ReadSections(Cursor& cur, const SectionTargets& targets);

// RSC[:SUFFIX] split at the last ':' (suffix "" when there is none).
struct Reference {
  std::string rsc;
  std::string suffix;
};
Result<Reference> SplitReference(const Cursor& cur, std::string_view token);
Result<cib::Role> ParseRoleToken(const Cursor& cur, std::string_view role,
                                 std::string_view token);

// A SCORE: token: ends with ':' and is not a NAME=VALUE.
bool IsScoreToken(std::string_view token);
Result<cib::Score> ParseScoreToken(const Cursor& cur, std::string_view token);

// Statement parsers, one per keyword family.
Result<cib::ConfigObject> ParsePrimitive(Cursor& cur);
Result<cib::ConfigObject> ParseGroup(Cursor& cur);
Result<cib::ConfigObject> ParseClone(Cursor& cur, bool ms);
Result<cib::ConfigObject> ParseLocation(Cursor& cur);
Result<cib::ConfigObject> ParseColocation(Cursor& cur);
Result<cib::ConfigObject> ParseOrder(Cursor& cur);

}  // namespace paceline::cli::crm::internal
