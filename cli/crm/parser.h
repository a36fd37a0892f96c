// The crm `configure` grammar: one statement's tokens -> one ConfigObject.
//
//   node [ID:] NAME[:TYPE] [description=TEXT] [attributes K=V...]
//        [utilization K=V...]
//   primitive ID AGENT [description=TEXT] [params K=V...] [meta K=V...]
//        [utilization K=V...] [op NAME K=V...]...
//   group ID RSC... [description=TEXT] [meta K=V...] [params K=V...]
//   clone ID CHILD [description=TEXT] [meta K=V...]   (meta promotable=true
//        makes it promotable)
//   ms ID CHILD [description=TEXT] [meta K=V...]      (promotable clone)
//   location ID RSC [role=ROLE] [resource-discovery=X] SCORE: NODE
//   location ID RSC [role=ROLE] rule [$role=ROLE] SCORE: #uname eq NODE
//        [and date lt "TIMESTAMP"]     (what crmsh shows for cli-prefer with
//        a lifetime)
//   colocation ID SCORE: RSC[:ROLE] WITH_RSC[:ROLE]      (also `collocation`)
//   order ID SCORE|KIND: FIRST[:ACTION] THEN[:ACTION] [symmetrical=BOOL]
//   property [SET_ID:] K=V...        rsc_defaults [SET_ID:] K=V...
//   op_defaults [SET_ID:] K=V...
//
// Purely syntactic: scores, roles, actions, order kinds and agent specs are
// parsed here; references and values are checked later by cib/validate.h.
// Every error is kSyntax and names the offending token and what was
// expected, e.g. "primitive p1: expected NAME=VALUE after 'params', got
// 'foo'". Resource sets (more than two resources in a colocation/order)
// are refused with a message saying so.
#pragma once

#include "cib/model.h"
#include "cli/crm/lexer.h"

namespace paceline::cli::crm {

// tokens[0] is the statement keyword (node, primitive, ...).
Result<cib::ConfigObject> ParseConfigObject(const Tokens& tokens);

// True if word is a keyword ParseConfigObject understands.
bool IsConfigObjectKeyword(std::string_view word);

}  // namespace paceline::cli::crm
