#include "agents/agent_env.h"

#include <filesystem>
#include <map>

#include "common/strings.h"

namespace paceline::agents {

namespace {

constexpr const char* kSystemPath = "/usr/sbin:/usr/bin:/sbin:/bin";

// A name that can appear left of '=' in an environment entry.
Status CheckEnvName(std::string_view what, std::string_view name) {
  if (name.empty() || name.find('=') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos) {
    return Status::Invalid(std::string(what) + " name " + Quote(name) +
                           " cannot be passed in the environment");
  }
  return Status::Ok();
}

// Ordered so the environment (and tests, and logs) are deterministic; a later
// Set replaces an earlier value.
class EnvBuilder {
 public:
  void Set(const std::string& name, const std::string& value) {
    vars_[name] = value;
  }
  std::vector<std::string> Build() const {
    std::vector<std::string> env;
    env.reserve(vars_.size());
    for (const auto& [k, v] : vars_) env.push_back(k + "=" + v);
    return env;
  }

 private:
  std::map<std::string, std::string> vars_;
};

Status AddCommon(const ActionRequest& req, const NodeContext& node,
                 EnvBuilder* env) {
  env->Set("PATH", node.sbin_dir + ":" + kSystemPath);
  env->Set("LANG", "C");
  env->Set("LVM_SUPPRESS_FD_WARNINGS", "1");
  env->Set("HA_RSCTMP", node.ha_rsctmp);
  env->Set("HA_VARRUN", node.ha_varrun);
  env->Set("HA_SBIN_DIR", node.sbin_dir);
  env->Set("OCF_ROOT", node.ocf_root);
  env->Set("OCF_RA_VERSION_MAJOR", "1");
  env->Set("OCF_RA_VERSION_MINOR", "1");
  env->Set("OCF_RESOURCE_INSTANCE", req.resource_id);
  env->Set("OCF_RESKEY_crm_feature_set", kCrmFeatureSet);
  for (const auto& p : req.params) {
    PL_RETURN_IF_ERROR(CheckEnvName("parameter", p.name));
    env->Set("OCF_RESKEY_" + p.name, p.value);
  }
  for (const auto& m : req.meta) {
    PL_RETURN_IF_ERROR(CheckEnvName("meta attribute", m.name));
    env->Set("OCF_RESKEY_CRM_meta_" + MetaEnvName(m.name), m.value);
  }
  // After meta so that the executor's own timeout and interval are what the
  // agent sees, whatever the meta attributes say.
  env->Set("OCF_RESKEY_CRM_meta_timeout", std::to_string(req.timeout_ms));
  env->Set("OCF_RESKEY_CRM_meta_interval", std::to_string(req.interval_ms));
  if (!node.node_name.empty()) {
    env->Set("OCF_RESKEY_CRM_meta_on_node", node.node_name);
  }
  for (const auto& e : req.extra_env) {
    PL_RETURN_IF_ERROR(CheckEnvName("environment variable", e.name));
    env->Set(e.name, e.value);
  }
  return Status::Ok();
}

// LSB scripts have no "monitor"; the status action is its LSB spelling.
std::string LsbAction(const std::string& action) {
  return action == "monitor" ? "status" : action;
}

}  // namespace

Result<AgentClass> ClassOf(const cib::AgentSpec& agent) {
  if (agent.standard == "ocf") return AgentClass::kOcf;
  if (agent.standard == "lsb") return AgentClass::kLsb;
  if (agent.standard == "systemd") return AgentClass::kSystemd;
  if (agent.standard == "service") return AgentClass::kService;
  if (agent.standard == "stonith") return AgentClass::kStonith;
  return Status::Invalid("unknown agent class " + Quote(agent.standard));
}

std::string MetaEnvName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

// The agent file for an OCF type. When no file has exactly that name but
// one differs only in case, that one: the talk (and many a blog post)
// writes ocf:heartbeat:IPAddr2 for the agent installed as IPaddr2, and
// Linux file names are case-sensitive. Two case-insensitive matches are
// ambiguous: the exact path is kept, and the agent is "not installed".
std::string OcfAgentPath(const std::string& ocf_root,
                         const std::string& provider, const std::string& type) {
  std::string dir = ocf_root + "/resource.d/" + provider;
  std::string exact = dir + "/" + type;
  std::error_code ec;
  if (std::filesystem::exists(exact, ec)) return exact;
  std::string found;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() != type.size() ||
        !std::equal(name.begin(), name.end(), type.begin(), [](char a, char b) {
          return std::tolower((unsigned char)a) ==
                 std::tolower((unsigned char)b);
        })) {
      continue;
    }
    if (!found.empty()) return exact;
    found = e.path().string();
  }
  return found.empty() ? exact : found;
}

Result<Invocation> BuildInvocation(const ActionRequest& req,
                                   const NodeContext& node) {
  if (req.action.empty()) return Status::Invalid("empty action name");
  if (req.resource_id.empty()) return Status::Invalid("empty resource id");
  PL_ASSIGN_OR_RETURN(AgentClass cls, ClassOf(req.agent));
  // Re-validate: the spec may not have come through ParseAgentSpec, and a
  // type with a slash would escape the agent directory.
  PL_ASSIGN_OR_RETURN(cib::AgentSpec spec,
                      cib::ParseAgentSpec(req.agent.ToString()));
  Invocation inv;
  inv.agent_class = cls;
  EnvBuilder env;
  PL_RETURN_IF_ERROR(AddCommon(req, node, &env));
  switch (cls) {
    case AgentClass::kOcf:
      inv.path = OcfAgentPath(node.ocf_root, spec.provider, spec.type);
      env.Set("OCF_RESOURCE_TYPE",
              std::filesystem::path(inv.path).filename().string());
      env.Set("OCF_RESOURCE_PROVIDER", spec.provider);
      inv.argv = {inv.path, req.action};
      break;
    case AgentClass::kLsb:
      inv.path = node.lsb_root + "/" + spec.type;
      env.Set("OCF_RESOURCE_TYPE", spec.type);
      inv.argv = {inv.path, LsbAction(req.action)};
      break;
    case AgentClass::kSystemd:
    case AgentClass::kService:
    case AgentClass::kStonith:
      return Status::Unavailable("agent class " + Quote(spec.standard) +
                                 " is not supported yet (" + spec.ToString() +
                                 ")");
  }
  inv.env = env.Build();
  return inv;
}

std::string DefaultShimDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto dir = exe.parent_path() / "sbin";
    if (std::filesystem::exists(dir / "crm_attribute", ec)) return dir;
  }
  return "/usr/lib/paceline/sbin";
}

}  // namespace paceline::agents
