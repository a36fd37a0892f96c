#include "cib/config_index.h"

namespace paceline::cib {

ConfigIndex::ConfigIndex(const Configuration& config) : config_(&config) {
  resources_.Reset(config.resources.size());
  parents_.Reset(config.resources.size());
  for (size_t i = 0; i < config.resources.size(); ++i) {
    const Resource& r = config.resources[i];
    resources_.Insert(r.id, uint32_t(i));  // the first of an id wins
    for (const auto& child : r.children) parents_.Insert(child, uint32_t(i));
  }
}

const Resource* ConfigIndex::Find(std::string_view id) const {
  uint32_t i = resources_.Find(id);
  return i == FlatIndex::kNone ? nullptr : &config_->resources[i];
}

const Resource* ConfigIndex::ParentOf(std::string_view id) const {
  uint32_t i = parents_.Find(id);
  return i == FlatIndex::kNone ? nullptr : &config_->resources[i];
}

const Resource* ConfigIndex::CloneOf(std::string_view id) const {
  for (const Resource* p = ParentOf(id); p; p = ParentOf(p->id)) {
    if (p->IsClone()) return p;
  }
  return nullptr;
}

}  // namespace paceline::cib
