// Which agents are installed on this node: the executables under
// OCF_ROOT/resource.d/PROVIDER/ and the LSB root (/etc/init.d), for
// `crm ra list` and `paceline agent list`. Reads the file system only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/agent_env.h"
#include "common/status.h"

namespace paceline::agents {

// Sorted "ocf:PROVIDER:TYPE" and "lsb:NAME" names. filter: "" (all), a
// class ("ocf", "lsb"), or "ocf:PROVIDER". Missing directories list
// nothing; kInvalid for a filter naming another class or malformed.
Result<std::vector<std::string>> ListAgents(const NodeContext& node,
                                            std::string_view filter);

}  // namespace paceline::agents
