// What every crm command runs with: where it acts (an offline CIB file or
// the daemon's socket), output format, and the streams it writes to. Built
// once from the global options by RunCrm; commands never read the
// environment or the clock themselves.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cib/edit.h"
#include "cib/model.h"
#include "cli/crm/lexer.h"
#include "common/clock.h"

namespace paceline::cli::crm {

struct Context {
  std::string cib_path;     // offline mode when set
  std::string socket_path;  // online mode otherwise
  std::string output_as;    // "" (text/crm), "json", "yaml", "crm", ...
  bool force = false;
  WallTime now;
  std::ostream* out;
  std::ostream* err;
};

// Prints "ERROR: message" on err and returns the exit code for it; an OK
// status prints nothing and gives 0.
int Fail(const Context& ctx, const Status& status);

// Applies an edit to the target under its lock, printing the edit's
// notices on err. Offline only for now; online reports that the daemon
// cannot be reached.
Status Commit(const Context& ctx, const cib::Edit& edit);

// The current document for read-only commands.
Result<cib::Document> LoadDocument(const Context& ctx);

int RunConfigure(const Context& ctx, const Tokens& args);
int RunNode(const Context& ctx, const Tokens& args);
int RunResource(const Context& ctx, const Tokens& args);
// crm resource explain RSC (args[0] is "explain"): cli/crm/explain_cmd.cc.
int RunExplain(const Context& ctx, const Tokens& args);
int RunStatus(const Context& ctx, const Tokens& args);
int RunRa(const Context& ctx, const Tokens& args);

}  // namespace paceline::cli::crm
