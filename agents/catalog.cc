#include "agents/catalog.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/strings.h"

namespace paceline::agents {

namespace {

namespace fs = std::filesystem;

// Executable regular files (following symlinks, as exec does) in dir.
std::vector<std::string> Executables(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code ec2;
    if (!fs::is_regular_file(it->path(), ec2)) continue;
    if (access(it->path().c_str(), X_OK) != 0) continue;
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    names.push_back(name);
  }
  return names;
}

void AddOcf(const NodeContext& node, const std::string& provider,
            std::vector<std::string>* out) {
  fs::path root = fs::path(node.ocf_root) / "resource.d";
  std::vector<std::string> providers;
  if (!provider.empty()) {
    providers.push_back(provider);
  } else {
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::error_code ec2;
      if (fs::is_directory(it->path(), ec2)) {
        providers.push_back(it->path().filename().string());
      }
    }
  }
  for (const auto& p : providers) {
    for (const auto& type : Executables(root / p)) {
      out->push_back("ocf:" + p + ":" + type);
    }
  }
}

}  // namespace

Result<std::vector<std::string>> ListAgents(const NodeContext& node,
                                            std::string_view filter) {
  std::vector<std::string> parts = Split(filter, ':');
  std::string cls = filter.empty() ? "" : ToLower(parts[0]);
  if (parts.size() > 2 || (parts.size() == 2 && cls != "ocf") ||
      (!cls.empty() && cls != "ocf" && cls != "lsb")) {
    return Status::Invalid("cannot list agents of " + Quote(filter) +
                           " (expected ocf, ocf:PROVIDER or lsb)");
  }
  std::vector<std::string> out;
  if (cls.empty() || cls == "ocf") {
    std::string provider = parts.size() == 2 ? parts[1] : "";
    if (provider.find('/') != std::string::npos || provider == "..") {
      return Status::Invalid("invalid provider " + Quote(provider));
    }
    AddOcf(node, provider, &out);
  }
  if (cls.empty() || cls == "lsb") {
    for (const auto& name : Executables(node.lsb_root)) {
      out.push_back("lsb:" + name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace paceline::agents
