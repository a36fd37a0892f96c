#include "cli/personality.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/agent.h"
#include "cli/attribute_shim.h"
#include "cli/cib.h"
#include "cli/cluster.h"
#include "cli/crm/shell.h"
#include "cli/daemon.h"
#include "cli/mon/mon.h"
#include "cli/simulate.h"

namespace paceline::cli {

namespace {

namespace po = boost::program_options;

constexpr const char* kVersion = "0.1.0";

crm::Environment ReadEnvironment() {
  crm::Environment env;
  for (const char* name : {"PACELINE_CIB", "CIB_file", "PACELINE_SOCKET"}) {
    if (const char* v = std::getenv(name)) env.vars[name] = v;
  }
  env.now = SystemClock().Now();
  return env;
}

int RunCrmShell(std::vector<std::string> args) {
  return crm::RunCrm(args, ReadEnvironment(), std::cout, std::cerr);
}

// crm_mon: the status monitor (cli/mon/mon.h); it also honours NO_COLOR.
int RunMon(std::vector<std::string> args) {
  crm::Environment env = ReadEnvironment();
  if (const char* v = std::getenv("NO_COLOR")) env.vars["NO_COLOR"] = v;
  return mon::RunMon(args, env, std::cout, std::cerr);
}

// `daemon` is set when the command is `paceline daemon`.
int RunPaceline(int argc, char** argv, bool& daemon) {
  po::options_description global("paceline options");
  global.add_options()("help,h", "show this help")("version",
                                                   "print the version");
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>(), "")(
      "args", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("command", 1).add("args", -1);
  po::options_description all;
  all.add(global).add(hidden);
  po::variables_map vm;
  try {
    po::parsed_options parsed = po::command_line_parser(argc, argv)
                                    .options(all)
                                    .positional(pos)
                                    .allow_unregistered()
                                    .run();
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "ERROR: " << e.what() << "\n";
    return 2;
  }
  const char* kUsage =
      "usage: paceline COMMAND [ARGS...]\n"
      "commands:\n"
      "  crm ARGS...   the crm shell (same as running `crm`)\n"
      "  mon ARGS...   cluster status (same as running `crm_mon`)\n"
      "  simulate ...  what the scheduler would do (simulate --help)\n"
      "  cib import|export ...  Pacemaker CIB XML in and out (cib --help)\n"
      "  agent exec|list|info ...  run or describe a resource agent\n"
      "  cluster setup NAME NODE=ADDR... [--dir DIR]  cluster.yaml + authkey\n"
      "  daemon [--config F] [--node N] [--state-dir D] [--socket P] "
      "[--foreground]\n"
      "  version       print the version\n";
  if (vm.count("version")) {
    std::cout << "paceline " << kVersion << "\n";
    return 0;
  }
  if (vm.count("help") && !vm.count("command")) {
    std::cout << kUsage << global;
    return 0;
  }
  if (!vm.count("command")) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = vm["command"].as<std::string>();
  // Everything after the command word belongs to the subcommand verbatim.
  std::vector<std::string> rest;
  bool after = false;
  for (int i = 1; i < argc; ++i) {
    if (after) rest.push_back(argv[i]);
    if (!after && argv[i] == command) after = true;
  }
  if (command == "crm") return RunCrmShell(rest);
  if (command == "mon") return RunMon(rest);
  if (command == "agent") return RunAgent(rest, std::cout, std::cerr);
  if (command == "cluster") return RunCluster(rest, std::cout, std::cerr);
  if (command == "daemon") {
    daemon = true;
    return RunDaemonCommand(rest, ReadEnvironment().vars, std::cout, std::cerr);
  }
  if (command == "cib") {
    return RunCib(rest, ReadEnvironment(), std::cout, std::cerr);
  }
  if (command == "simulate") {
    return RunSimulate(rest, ReadEnvironment(), std::cout, std::cerr);
  }
  if (command == "version") {
    std::cout << "paceline " << kVersion << "\n";
    return 0;
  }
  std::cerr << "ERROR: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

std::string BaseName(const char* path) {
  std::string s = path ? path : "";
  size_t slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

int Run(int argc, char** argv, bool& daemon) {
  std::string name = BaseName(argc > 0 ? argv[0] : "paceline");
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (name == "crm") return RunCrmShell(args);
  if (name == "crm_mon") return RunMon(args);
  if (name == "crm_attribute" || name == "crm_master") {
    std::map<std::string, std::string> env;
    for (const char* key :
         {"OCF_RESOURCE_INSTANCE", "OCF_RESKEY_CRM_meta_on_node",
          "PACELINE_CIB", "CIB_file", "PACELINE_SOCKET"}) {
      if (const char* v = std::getenv(key)) env[key] = v;
    }
    return RunAttributeShim(name == "crm_master", args, env,
                            SystemClock().Now(), std::cout, std::cerr);
  }
  return RunPaceline(argc, argv, daemon);
}

}  // namespace

int Main(int argc, char** argv) {
  bool daemon = false;
  int rc = Run(argc, argv, daemon);
  if (daemon) return rc;
  // A CLI command is done once it returns: its output files are written
  // (atomically: written, fsynced, renamed) and closed, its terminal
  // restored, its agents and connections gone. What exit() would still
  // do is run the atexit handlers and static destructors of every library
  // linked in (Boost.Asio's services, OpenSSL, iostreams...), which
  // touches code pages the command never used: 3-7 ms of page faults, a
  // third of a short command's life (issue 7: `crm configure primitive`
  // in 20 ms). So flush what is buffered and end here. Not for the
  // daemon, which shuts down the normal way.
  std::cout.flush();
  std::cerr.flush();
  std::clog.flush();
  std::fflush(nullptr);
  _exit(rc);
}

}  // namespace paceline::cli
