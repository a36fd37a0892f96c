// ConfigIndex: constant-time lookups over one Configuration, for code that
// looks up many ids (the scheduler, simulate). Configuration's own Find*
// are linear scans, fine for a CLI edit but quadratic across a whole
// cluster. Build it after the last change to the configuration; it holds
// pointers into it and must not outlive it.
#pragma once

#include <string_view>

#include "cib/model.h"
#include "common/flat_index.h"

namespace paceline::cib {

class ConfigIndex {
 public:
  explicit ConfigIndex(const Configuration& config);

  const Resource* Find(std::string_view id) const;
  // The group or clone that directly contains id, or nullptr.
  const Resource* ParentOf(std::string_view id) const;
  // The nearest enclosing clone, or nullptr.
  const Resource* CloneOf(std::string_view id) const;

 private:
  const Configuration* config_;
  FlatIndex resources_;  // positions in config_->resources
  FlatIndex parents_;    // child id -> its container's position
};

}  // namespace paceline::cib
