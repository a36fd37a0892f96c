// crm_mon (and `paceline mon`): the status monitor.
//
//   crm_mon                 the live screen (cli/mon/tui.h)
//   crm_mon -1              the same content once, as plain text
//   crm_mon --output-as=json   the paceline.status/1 document
//   --cib FILE              an offline CIB file's status (always one shot)
//   --socket PATH           the daemon (or PACELINE_SOCKET)
//   -n/--group-by-node, --hide-failcounts, --hide-constraints,
//   --new-role-names (Promoted/Unpromoted without Master/Slave)
//
// Exit codes: 0, 1 when the daemon or file cannot be read, 2 for usage.
#pragma once

#include <boost/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "cib/model.h"
#include "cli/crm/shell.h"

namespace paceline::cli::mon {

// The paceline.status/1 document of an offline CIB file: its nodes (online
// as its status says), resources, failures, fail counts and constraints;
// membership view 0 and the DC the file recorded.
boost::json::object OfflineStatus(const cib::Document& doc);

int RunMon(const std::vector<std::string>& args, const crm::Environment& env,
           std::ostream& out, std::ostream& err);

}  // namespace paceline::cli::mon
