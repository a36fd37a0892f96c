// `paceline daemon [--config FILE] [--node NAME] [--state-dir DIR]
//                  [--socket PATH] [--foreground]`
// (PACELINE_SOCKET overrides the default socket path.) See crmd/daemon.h.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace paceline::cli {

int RunDaemonCommand(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     std::ostream& out, std::ostream& err);

}  // namespace paceline::cli
