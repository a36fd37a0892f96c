// Semantic checks of a Configuration: what the grammar cannot see.
//
// Check() lists every problem (errors and warnings) in a stable order, so
// `crm configure verify` can print them all; Validate() returns the first
// error as a Status (the edit layer refuses a change with it). Error codes:
// kSyntax for a malformed value (a score, interval, role, boolean), kConflict
// for duplicates and double membership, kNotFound for references to unknown
// resources, kInvalid for everything else. Warnings never refuse a change:
// unknown cluster properties, locations naming undeclared nodes, agents not
// installed on this machine.
#pragma once

#include <string>
#include <vector>

#include "cib/model.h"

namespace paceline::cib {

struct Problem {
  bool error = true;  // false: a warning
  StatusCode code = StatusCode::kInvalid;
  std::string message;  // one line; names the object and the bad thing
};

struct CheckOptions {
  // Where OCF agents live; empty skips the "agent installed" warnings.
  std::string ocf_root;
  std::string lsb_root = "/etc/init.d";
};

std::vector<Problem> Check(const Configuration& config,
                           const CheckOptions& options = {});
Status Validate(const Configuration& config);

// True if id is an acceptable object id: [A-Za-z_][A-Za-z0-9_.-]*, which
// is an XML NCName in practice (no ":" -- crm uses it for roles), and not
// a word the crm grammar reads as a keyword inside a statement (params,
// meta, utilization, op, attributes, rule).
bool IsValidId(std::string_view id);

// Value checks shared with the edit layer and the parser's callers.
Status CheckMetaAttribute(std::string_view name, std::string_view value);
Status CheckProperty(std::string_view name, std::string_view value,
                     bool* known);
Status CheckOpAttribute(std::string_view name, std::string_view value);
bool IsKnownOperation(std::string_view name);

}  // namespace paceline::cib
