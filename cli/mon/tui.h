// The live crm_mon screen (ncurses): one connection to the local daemon,
// subscribed to its event feed; each event (coalesced: at most one status
// request in flight) fetches the paceline.status/1 document again, and the
// screen is redrawn only where a line changed. While nothing happens it
// re-asks once a second and draws nothing unless the status differs (the
// daemon publishes no event for a configuration change that moves
// nothing). If the daemon goes away the screen says so, keeps the last
// status with its age, and reconnects when the daemon is back.
//
// Keys: q quit, ? help, f fail counts, c constraints, n by node/resource,
// arrows/PgUp/PgDn/Home/End scroll. Colours only if the terminal has them
// and NO_COLOR is unset. Runs on the calling thread until q (or SIGINT/
// SIGTERM); returns the exit code.
#pragma once

#include <ostream>
#include <string>

#include "cli/mon/render.h"

namespace paceline::cli::mon {

int RunTui(const std::string& socket_path, RenderOptions options, bool no_color,
           std::ostream& err);

}  // namespace paceline::cli::mon
