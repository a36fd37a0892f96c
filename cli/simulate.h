// `paceline simulate`: what the scheduler would do with the offline CIB
// file's configuration and status, optionally after what-ifs, printed the
// way crm_simulate prints it (or as `paceline.simulate/1` JSON).
//
//   paceline simulate [--cib FILE] [--node-down NODE]... [--node-up NODE]...
//                     [--fail RSC:ACTION:NODE]... [--quorum=true|false]
//                     [--scores] [--dot FILE] [--output-as=text|json] [--save]
//
// The file comes from --cib, else PACELINE_CIB, else CIB_file. What-ifs
// change the in-memory snapshot before scheduling. --save writes back the
// status after the what-ifs and the transition (status only: num_updates
// is bumped, the configuration and its epoch are untouched), so a scenario
// can be stepped forward one transition at a time; the load, the schedule
// and the write happen under the file's lock.
//
// Exit codes: 0 done, 2 usage (unknown option, malformed what-if), 1 the
// file cannot be read or written, an unknown node or resource, or the
// scheduler refused the input (printed as "ERROR: <message>").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/crm/shell.h"

namespace paceline::cli {

// args: the words after `simulate`. env supplies PACELINE_CIB / CIB_file
// and the current time (failure timestamps, lifetimes of constraints).
int RunSimulate(const std::vector<std::string>& args,
                const crm::Environment& env, std::ostream& out,
                std::ostream& err);

}  // namespace paceline::cli
