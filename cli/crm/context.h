// What every crm command runs with: where it acts (an offline CIB file or
// the daemon's socket), output format, and the streams it writes to. Built
// once from the global options by RunCrm; commands never read the
// environment or the clock themselves.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "cib/edit.h"
#include "cib/model.h"
#include "cli/crm/lexer.h"
#include "common/clock.h"
#include "crmd/ipc_server.h"

namespace paceline::cli::crm {

struct Context {
  std::string cib_path;     // offline mode when set
  std::string socket_path;  // online mode otherwise
  std::string output_as;    // "" (text/crm), "json", "yaml", "crm", ...
  bool force = false;
  // -w/--wait: online writes return once the cluster has settled.
  bool wait = false;
  WallTime now;
  std::ostream* out;
  std::ostream* err;
};

// Prints "ERROR: message" on err and returns the exit code for it; an OK
// status prints nothing and gives 0.
int Fail(const Context& ctx, const Status& status);

// Applies an edit to the target, printing the edit's notices on err:
// offline under the file's lock, online through the DC (compare-and-swap
// on the versions, retried on a concurrent change).
Status Commit(const Context& ctx, const cib::Edit& edit);

// The current document for read-only commands. Online its status section
// is the cluster's live status (what runs where, failures).
Result<cib::Document> LoadDocument(const Context& ctx);

// Online only: a request the DC carries out ({"op": "cleanup", ...}),
// answered when done.
Status DaemonRequest(const Context& ctx, const boost::json::object& request);

// Online only (`--wait`): blocks until the cluster has nothing left to do,
// printing each action as it starts and ends (on err); fails after
// `limit`. With a subscription taken before a change, the progress starts
// with the change's first action.
struct Subscription {
  crmd::IpcClient client;
};
Result<Subscription> Subscribe(const Context& ctx);
Status WaitSettled(const Context& ctx, Subscription& sub,
                   std::chrono::seconds limit);

int RunConfigure(const Context& ctx, const Tokens& args);
int RunNode(const Context& ctx, const Tokens& args);
int RunResource(const Context& ctx, const Tokens& args);
// crm resource explain RSC (args[0] is "explain"): cli/crm/explain_cmd.cc.
int RunExplain(const Context& ctx, const Tokens& args);
int RunStatus(const Context& ctx, const Tokens& args);
int RunRa(const Context& ctx, const Tokens& args);

}  // namespace paceline::cli::crm
