// `paceline daemon`: the composition root of a node. One io_context thread
// owns all state: the membership layer (UdpNode around the Membership state
// machine), the IPC server for the CLI, and (issue 7) the controller.
//
// Start-up checks happen before anything is bound or forked, so an admin
// sees "ERROR: ..." on the terminal: cluster.yaml, the node's own entry,
// the authkey (missing or readable by group/others is refused), the state
// directory. Without --foreground the daemon detaches (fork, setsid, log to
// STATE_DIR/paceline.log) once it is listening, and the parent exits 0, or
// 1 with the child's error.
#pragma once

#include <string>

namespace paceline::crmd {

struct DaemonOptions {
  std::string config_path = "/etc/paceline/cluster.yaml";
  std::string node;  // --node override
  std::string state_dir = "/var/lib/paceline";
  std::string socket_path = "/run/paceline/paceline.sock";
  bool foreground = false;
};

// Runs until SIGTERM/SIGINT; returns the process exit code.
int RunDaemon(const DaemonOptions& options);

}  // namespace paceline::crmd
