// `paceline agent`: list installed agents, describe one from its meta-data,
// or run one agent action through the executor the way the daemon would.
//
//   paceline agent list [ocf|ocf:PROVIDER|lsb]
//   paceline agent info AGENT        # parameters and default op timeouts
//   paceline agent exec AGENT ACTION [NAME=VALUE...] [--timeout SECONDS]
//        [--interval MS] [--meta NAME=VALUE]... [--env NAME=VALUE]...
//        [--id RESOURCE_ID] [--node NAME] [--run-dir DIR] [--ocf-root DIR]
//
// AGENT is ocf:PROVIDER:TYPE or lsb:NAME. The agent's state goes under
// RUN_DIR/NODE/ (default /run/paceline/cli/): rsctmp/ is HA_RSCTMP and run/
// is HA_VARRUN, created if missing and kept between invocations so that
// `start` then `monitor` see the same state, and two --node values never
// share it. The agent's output goes to stdout; the summary line
// "rc=N (meaning) in X ms" to stderr (so `meta-data > file` stays clean).
//
// list/info exit 0, 1 when the agent's meta-data cannot be had, 2 on usage
// errors. `crm ra list|info` can be built on the same calls.
//
// exec's exit code: the agent's OCF rc (LSB status codes mapped); 1 for a
// timeout or an agent that could not run; 2 for usage errors. Without
// --timeout an OCF action gets the agent's advised timeout for it, else 20 s
// (agents/action_timeout.h).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "agents/metadata.h"
#include "cib/model.h"

namespace paceline::cli {

// args: the words after `agent`.
int RunAgent(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

// The agent's parsed meta-data, from the meta-data cache when the agent
// file is unchanged (agents/metadata_cache.h), else by running its
// meta-data action and caching the text; kNotFound-style failures name the
// agent.
Result<agents::AgentMetadata> FetchMetadata(const cib::AgentSpec& spec);

}  // namespace paceline::cli
