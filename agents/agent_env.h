// The exact command line and environment of one agent action.
//
// Pure: no I/O, no clock, nothing read from the parent environment. The
// executor (agents/executor.h) spawns what BuildInvocation returns; tests pin
// the variables here because agents are unforgiving shell scripts (see the
// project's agents-notes: without OCF_ROOT every agent exits 2, without
// OCF_RESKEY_CRM_meta_interval a recurring monitor looks like a probe).
//
// Classes: ocf and lsb run; systemd, service and stonith are recognised but
// refused with kUnavailable until they have a runner (AgentClass is the
// extension point: add a case to BuildInvocation and to MapExitCode).
#pragma once

#include <string>
#include <vector>

#include "cib/model.h"
#include "common/status.h"

namespace paceline::agents {

enum class AgentClass { kOcf, kLsb, kSystemd, kService, kStonith };

// kInvalid for a standard ParseAgentSpec would not accept.
Result<AgentClass> ClassOf(const cib::AgentSpec& agent);

// Where this node's agents live and keep their state. Several nodes on one
// host must each have their own ha_rsctmp and ha_varrun.
struct NodeContext {
  std::string node_name;  // OCF_RESKEY_CRM_meta_on_node when not empty
  std::string ha_rsctmp = "/run/resource-agents";
  std::string ha_varrun = "/run/";
  std::string ocf_root = "/usr/lib/ocf";
  std::string sbin_dir = "/usr/sbin";  // HA_SBIN_DIR, first on PATH
  std::string lsb_root = "/etc/init.d";
};

// One action on one resource, as the controller asks for it.
struct ActionRequest {
  std::string resource_id;  // OCF_RESOURCE_INSTANCE; the serialisation key
  cib::AgentSpec agent;
  std::string action;  // start, stop, monitor, promote, meta-data, ...
  cib::Attributes params;
  cib::Attributes meta;       // OCF_RESKEY_CRM_meta_<name>, '-' -> '_'
  long long interval_ms = 0;  // 0: a probe (for monitor)
  long long timeout_ms = 20000;
  // Added last, overriding anything above (e.g. MODPROBE=/bin/true for
  // Filesystem on a machine without kmod).
  cib::Attributes extra_env;
};

struct Invocation {
  AgentClass agent_class = AgentClass::kOcf;
  std::string path;               // the executable
  std::vector<std::string> argv;  // argv[0] == path
  std::vector<std::string> env;   // "NAME=value", the whole environment
};

constexpr const char* kCrmFeatureSet = "3.16.2";

// The invocation for req on node. Errors: kInvalid for an empty action or
// resource id or a malformed agent, kUnavailable for classes without a
// runner yet. Does not check that the agent exists (the executor does, so
// that "not installed" is a result, not an error).
// The agent file of OCF type `type`: the exact name, or the one installed
// name that differs from it only in case (IPAddr2 -> IPaddr2).
std::string OcfAgentPath(const std::string& ocf_root,
                         const std::string& provider, const std::string& type);

Result<Invocation> BuildInvocation(const ActionRequest& req,
                                   const NodeContext& node);

// Where our crm_attribute/crm_master shims live: sbin/ beside the running
// binary (the build tree), else the installed /usr/lib/paceline/sbin.
std::string DefaultShimDir();

// Environment-name form of a meta attribute: "clone-max" -> "clone_max".
std::string MetaEnvName(std::string_view name);

}  // namespace paceline::agents
