// `paceline daemon`: option parsing only; the daemon is crmd::RunDaemon.
#include <boost/program_options.hpp>

#include "cli/daemon.h"
#include "crmd/daemon.h"

namespace paceline::cli {
namespace po = boost::program_options;

int RunDaemonCommand(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     std::ostream& out, std::ostream& err) {
  crmd::DaemonOptions o;
  if (auto it = env.find("PACELINE_SOCKET");
      it != env.end() && !it->second.empty()) {
    o.socket_path = it->second;
  }
  bool help = false;
  po::options_description opts(
      "usage: paceline daemon [--config FILE] [--node NAME] [--state-dir DIR] "
      "[--socket PATH] [--foreground]");
  opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
      "config", po::value(&o.config_path)->value_name("FILE"),
      "cluster.yaml (default /etc/paceline/cluster.yaml)")(
      "node", po::value(&o.node)->value_name("NAME"),
      "this node's name in cluster.yaml (default: found by address)")(
      "state-dir", po::value(&o.state_dir)->value_name("DIR"),
      "configuration, history and log (default /var/lib/paceline)")(
      "socket", po::value(&o.socket_path)->value_name("PATH"),
      "the CLI's socket (default /run/paceline/paceline.sock)")(
      "foreground", po::bool_switch(&o.foreground),
      "stay attached and log to stderr");
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    err << "ERROR: daemon: " << e.what() << "\n";
    return 2;
  }
  if (help) {
    out << opts;
    return 0;
  }
  return crmd::RunDaemon(o);
}

}  // namespace paceline::cli
