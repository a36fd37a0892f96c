// The crm shell: `crm [GLOBAL OPTIONS] LEVEL COMMAND ARGS...` with levels
// configure, node, resource and status, as crmsh spells them.
//
// Global options may appear anywhere (crm words never start with "--"):
// --cib FILE (or PACELINE_CIB / CIB_file in the environment) selects offline
// mode on a YAML CIB file; --socket PATH (or PACELINE_SOCKET) the daemon;
// --output-as=FMT; -F/--force; -h/--help. Exit codes: 0 done, 2 usage or
// syntax error, 1 refused or failed; on failure nothing was written.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"

namespace paceline::cli::crm {

struct Environment {
  std::map<std::string, std::string> vars;  // the relevant env variables
  WallTime now;
};

int RunCrm(const std::vector<std::string>& args, const Environment& env,
           std::ostream& out, std::ostream& err);

}  // namespace paceline::cli::crm
