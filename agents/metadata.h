// An agent's self-description: the XML its `meta-data` action prints
// (OCF resource agent API 1.0 and 1.1), parsed into plain values for
// validation (required and unknown parameters), defaults, default action
// timeouts, and `crm ra info`.
//
// Pure: the caller runs the agent (Executor, action "meta-data") and hands
// the text over. Parsing uses Boost.PropertyTree's XML reader (header-only,
// part of the Boost already required; no new dependency); its exceptions
// are caught here and returned as Status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cib/duration.h"
#include "cib/model.h"
#include "common/status.h"

namespace paceline::agents {

struct ParameterInfo {
  std::string name;
  bool required = false;
  bool unique = false;  // also true for a unique-group member
  std::string unique_group;
  bool deprecated = false;
  std::string type;  // string, integer, boolean, select, ...
  std::optional<std::string> default_value;
  std::string shortdesc;
  std::string longdesc;
};

struct ActionInfo {
  std::string name;
  // As Pacemaker reads them: "20s", or a bare number of seconds (drbd
  // writes "240"). Unset when the agent gives none (drbd's validate-all).
  std::optional<cib::Millis> timeout;
  std::optional<cib::Millis> interval;
  std::string role;   // Promoted/Unpromoted ("Master"/"Slave" mapped), or ""
  std::string depth;  // OCF_CHECK_LEVEL, or ""
};

struct AgentMetadata {
  std::string name;
  std::string version;      // the agent's own version
  std::string ocf_version;  // the API version it implements ("1.1")
  std::string shortdesc;
  std::string longdesc;
  std::vector<ParameterInfo> parameters;
  std::vector<ActionInfo> actions;

  const ParameterInfo* FindParameter(std::string_view name) const;
  // The first action of that name (for monitor: with that role if given).
  const ActionInfo* FindAction(std::string_view name,
                               std::string_view role = "") const;
};

// kCorrupt for text that is not XML or has no <resource-agent> root;
// kCorrupt naming the attribute for an unparsable timeout or interval.
Result<AgentMetadata> ParseMetadata(std::string_view xml);

// Problems with a primitive's params against the agent's meta-data:
// missing required parameters (errors: the agent would refuse to start),
// then unknown ones (warnings: typos, or params of another agent version).
struct ParamProblem {
  bool missing_required = false;
  std::string message;  // one line
};
std::vector<ParamProblem> CheckParams(const AgentMetadata& md,
                                      const cib::Attributes& params);

}  // namespace paceline::agents
