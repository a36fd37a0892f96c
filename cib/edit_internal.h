// Private to cib/edit*.cc: the per-kind edit functions.
#pragma once

#include <string>
#include <vector>

#include "cib/edit.h"

namespace paceline::cib::internal {

Status ApplyDelete(Document& doc, const DeleteObjects& edit);

// SetNodeAttribute, MoveResource, ClearMove, SetResourceMeta, Cleanup.
Status ApplyResourceEdit(Document& doc, const SetNodeAttribute& edit,
                         WallTime now, std::vector<std::string>& notices);
Status ApplyResourceEdit(Document& doc, const MoveResource& edit, WallTime now,
                         std::vector<std::string>& notices);
Status ApplyResourceEdit(Document& doc, const ClearMove& edit, WallTime now,
                         std::vector<std::string>& notices);
Status ApplyResourceEdit(Document& doc, const SetResourceMeta& edit,
                         WallTime now, std::vector<std::string>& notices);
Status ApplyResourceEdit(Document& doc, const Cleanup& edit, WallTime now,
                         std::vector<std::string>& notices);

}  // namespace paceline::cib::internal
