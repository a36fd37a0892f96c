// crm configure: define objects, delete, show, verify, load.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "agents/action_timeout.h"
#include "agents/metadata.h"
#include "cib/crm_render.h"
#include "cib/document_json.h"
#include "cib/validate.h"
#include "cib/yaml_codec.h"
#include "cli/agent.h"
#include "cli/crm/context.h"
#include "cli/crm/parser.h"
#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

// crmsh's habit: a primitive whose params do not fit its agent's meta-data
// (a missing required or an unknown param; an op timeout below the agent's
// advice) is a warning here; a missing required param is an error in
// verify. The meta-data comes from the cache (agents/metadata_cache.h),
// so this costs well under 1 ms unless the agent changed. Agents that are not
// installed say nothing here; verify reports them.
std::vector<std::string> AgentWarnings(const cib::ConfigObject& object) {
  std::vector<std::string> warnings;
  const auto* r = std::get_if<cib::Resource>(&object);
  if (!r || !r->IsPrimitive() || r->agent.standard != "ocf") return warnings;
  Result<agents::AgentMetadata> md = FetchMetadata(r->agent);
  if (!md.ok()) return warnings;
  for (const auto& p : agents::CheckParams(*md, r->params)) {
    warnings.push_back("primitive " + Quote(r->id) + ": " + p.message);
  }
  // op_defaults would need the CIB; verify checks with them.
  for (const auto& t : agents::CheckOpTimeouts(*r, {}, *md)) {
    warnings.push_back("primitive " + Quote(r->id) + ": " + t);
  }
  return warnings;
}

int Define(const Context& ctx, const Tokens& args) {
  auto object = ParseConfigObject(args);
  if (!object.ok()) return Fail(ctx, object.status());
  std::vector<std::string> warnings = AgentWarnings(*object);
  cib::DefineObjects edit;
  edit.objects.push_back(std::move(object).value());
  edit.mode = cib::LoadMode::kCreate;
  Status committed = Commit(ctx, edit);
  // Printed only when the object was stored: a refused command says one
  // thing, its ERROR.
  if (committed.ok()) {
    for (const auto& w : warnings) *ctx.err << "WARNING: " << w << "\n";
  }
  return Fail(ctx, committed);
}

int Delete(const Context& ctx, const Tokens& args) {
  cib::DeleteObjects edit;
  edit.force = ctx.force;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "force") {
      edit.force = true;
    } else {
      edit.ids.push_back(args[i]);
    }
  }
  if (edit.ids.empty()) {
    return Fail(ctx, Status::Syntax("delete: missing id (usage: crm configure "
                                    "delete ID...)"));
  }
  return Fail(ctx, Commit(ctx, edit));
}

int Show(const Context& ctx, const Tokens& args) {
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  const cib::Configuration& config = doc->config;
  std::string format = ctx.output_as.empty() ? "crm" : ctx.output_as;
  Tokens ids(args.begin() + 1, args.end());
  if (format == "crm" || format == "text") {
    if (ids.empty()) {
      *ctx.out << cib::RenderCrm(config);
      return 0;
    }
    for (const auto& id : ids) {
      std::string text = cib::RenderCrmObject(config, id);
      if (text.empty()) {
        return Fail(ctx, Status::NotFound("show: no object " + Quote(id)));
      }
      *ctx.out << text;
    }
    return 0;
  }
  if (!ids.empty()) {
    return Fail(ctx, Status::Syntax("show ID works with --output-as=crm only"));
  }
  boost::json::object tree = cib::ConfigurationToJson(config);
  if (format == "json") {
    *ctx.out << boost::json::serialize(tree) << "\n";
  } else if (format == "yaml") {
    *ctx.out << cib::JsonToYaml(tree);
  } else {
    return Fail(ctx, Status::Syntax("unknown output format " + Quote(format) +
                                    " (expected crm, yaml or json)"));
  }
  return 0;
}

// Params against each installed OCF agent's meta-data: a missing required
// parameter is an error (the agent would refuse to start), an unknown one a
// warning. Agents that are not installed were reported by Check already.
int VerifyAgainstMetadata(const Context& ctx, const cib::Configuration& c) {
  std::map<std::string, Result<agents::AgentMetadata>> cache;
  int errors = 0;
  for (const auto& r : c.resources) {
    if (!r.IsPrimitive() || r.agent.standard != "ocf") continue;
    std::string key = r.agent.ToString();
    auto it = cache.find(key);
    if (it == cache.end()) {
      it = cache.emplace(key, FetchMetadata(r.agent)).first;
    }
    if (!it->second.ok()) continue;
    for (const auto& p : agents::CheckParams(*it->second, r.params)) {
      *ctx.err << (p.missing_required ? "ERROR: " : "WARNING: ") << "primitive "
               << Quote(r.id) << ": " << p.message << "\n";
      errors += p.missing_required;
    }
    for (const auto& t :
         agents::CheckOpTimeouts(r, c.op_defaults, *it->second)) {
      *ctx.err << "WARNING: primitive " << Quote(r.id) << ": " << t << "\n";
    }
  }
  return errors;
}

int Verify(const Context& ctx) {
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  cib::CheckOptions options;
  options.ocf_root = "/usr/lib/ocf";
  int errors = 0;
  for (const auto& p : cib::Check(doc->config, options)) {
    *ctx.err << (p.error ? "ERROR: " : "WARNING: ") << p.message << "\n";
    errors += p.error;
  }
  errors += VerifyAgainstMetadata(ctx, doc->config);
  return errors ? 1 : 0;
}

Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  }
  text << in.rdbuf();
  return text.str();
}

int Load(const Context& ctx, const Tokens& args) {
  if (args.size() != 3 || (args[1] != "update" && args[1] != "replace")) {
    return Fail(ctx, Status::Syntax("load: usage: crm configure load "
                                    "update|replace FILE"));
  }
  auto text = ReadInput(args[2]);
  if (!text.ok()) return Fail(ctx, text.status());
  auto statements = SplitStatements(*text);
  if (!statements.ok()) {
    return Fail(ctx, statements.status().WithContext(args[2]));
  }
  cib::DefineObjects edit;
  edit.mode =
      args[1] == "update" ? cib::LoadMode::kUpdate : cib::LoadMode::kReplace;
  for (const auto& st : *statements) {
    auto object = ParseConfigObject(st.tokens);
    if (!object.ok()) {
      return Fail(ctx, object.status().WithContext(args[2] + ": line " +
                                                   std::to_string(st.line)));
    }
    edit.objects.push_back(std::move(object).value());
  }
  return Fail(ctx, Commit(ctx, edit).WithContext(args[2]));
}

}  // namespace

int RunConfigure(const Context& ctx, const Tokens& args) {
  if (args.empty()) {
    return Fail(ctx, Status::Syntax("configure: missing command (e.g. "
                                    "primitive, show, verify, delete)"));
  }
  const std::string& cmd = args[0];
  if (IsConfigObjectKeyword(cmd)) return Define(ctx, args);
  if (cmd == "delete" || cmd == "remove") return Delete(ctx, args);
  if (cmd == "show") return Show(ctx, args);
  if (cmd == "verify") return Verify(ctx);
  if (cmd == "load") return Load(ctx, args);
  if (cmd == "commit") return 0;  // every command commits at once here
  return Fail(ctx, Status::Syntax(
                       "unknown configure command " + Quote(cmd) +
                       " (expected node, primitive, group, clone, ms, "
                       "location, colocation, order, property, rsc_defaults, "
                       "op_defaults, delete, show, verify or load)"));
}

}  // namespace paceline::cli::crm
