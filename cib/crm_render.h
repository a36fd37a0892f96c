// Renders configuration in crm shell syntax, the way crmsh's
// `configure show` does: one object per statement, long statements
// continued with " \" and a tab, in this order: nodes, resources (in the
// model's canonical order, so every member/child is defined before its
// container), constraints (in configuration order), then `property
// cib-bootstrap-options:`, `rsc_defaults rsc-options:`, `op_defaults
// op-options:`. Values are double-quoted when they contain whitespace,
// quotes, backslashes or are empty. Feeding the output back through the crm
// grammar (cli/crm/parser.h) rebuilds an identical Configuration.
#pragma once

#include <string>

#include "cib/model.h"

namespace paceline::cib {

std::string RenderCrm(const Configuration& config);
// One object's statement ("" if no such id): a node, resource or constraint.
std::string RenderCrmObject(const Configuration& config, std::string_view id);
// Quotes a value for crm syntax when needed (see above).
std::string CrmQuote(std::string_view value);

}  // namespace paceline::cib
