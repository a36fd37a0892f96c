#include "cib/config_index.h"

namespace paceline::cib {

ConfigIndex::ConfigIndex(const Configuration& config) {
  resources_.reserve(config.resources.size());
  for (const auto& r : config.resources) {
    resources_.emplace(r.id, &r);
    for (const auto& child : r.children) parents_.emplace(child, &r);
  }
}

const Resource* ConfigIndex::Find(std::string_view id) const {
  auto it = resources_.find(id);
  return it == resources_.end() ? nullptr : it->second;
}

const Resource* ConfigIndex::ParentOf(std::string_view id) const {
  auto it = parents_.find(id);
  return it == parents_.end() ? nullptr : it->second;
}

const Resource* ConfigIndex::CloneOf(std::string_view id) const {
  for (const Resource* p = ParentOf(id); p; p = ParentOf(p->id)) {
    if (p->IsClone()) return p;
  }
  return nullptr;
}

}  // namespace paceline::cib
