// Edits: every change an admin can make to a Document, as typed values.
//
// The CLI parses crm commands into Edits; offline, it applies them to the
// file with ApplyEdit under the store's lock; online (the controller issue)
// the same Edits travel to the DC, which applies them the same way. So the
// semantics of `crm configure`, `crm node` and `crm resource` live here once.
//
// ApplyEdit is all-or-nothing: it works on a copy, validates the resulting
// configuration, and only then replaces *doc and bumps the versions (epoch
// for configuration changes, num_updates for status-only ones). An edit that
// changes nothing leaves the versions alone. Pure: `now` is an input.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cib/duration.h"
#include "cib/model.h"

namespace paceline::cib {

enum class LoadMode {
  kCreate,  // a new object; an existing id is refused
  kUpdate,  // replace an object with the same id in place, else append
  kReplace  // the objects become the whole configuration
};

// crm configure node|primitive|group|clone|ms|location|colocation|order|
// property|rsc_defaults|op_defaults, and configure load update|replace.
struct DefineObjects {
  std::vector<ConfigObject> objects;
  LoadMode mode = LoadMode::kCreate;
};

// crm configure delete ID... (resources, constraints, or nodes by name when
// no resource or constraint has that id); crm node delete NODE (nodes only).
struct DeleteObjects {
  std::vector<std::string> ids;
  bool force = false;       // delete even if the status says it is running
  bool nodes_only = false;  // ids are node names
};

// crm node standby|online|maintenance|ready NODE [lifetime]: a node
// attribute, permanent (configuration) or until reboot (status).
struct SetNodeAttribute {
  std::string node;
  std::string name;
  std::optional<std::string> value;  // nullopt deletes
  bool until_reboot = false;
};

// crm resource migrate|move RSC [NODE] [lifetime] and crm resource ban.
struct MoveResource {
  std::string rsc;
  std::string node;  // "" = away from where it runs now (a ban)
  std::optional<Millis> lifetime;
  bool ban = false;  // crm resource ban RSC NODE
};

// crm resource unmigrate|unmove|clear RSC [NODE]
struct ClearMove {
  std::string rsc;
  std::string node;  // "" = every node
};

// crm resource start|stop|promote|demote|manage|unmanage|maintenance RSC:
// a meta attribute of the resource.
struct SetResourceMeta {
  std::string rsc;
  std::string name;
  std::optional<std::string> value;  // nullopt deletes
};

// crm resource cleanup [RSC] [NODE]: forget failures and fail counts.
struct Cleanup {
  std::string rsc;   // "" = every resource
  std::string node;  // "" = every node
};

using Edit = std::variant<DefineObjects, DeleteObjects, SetNodeAttribute,
                          MoveResource, ClearMove, SetResourceMeta, Cleanup>;

struct EditResult {
  bool changed = false;
  // One-line notices for the admin (deprecated names mapped, constraints
  // created or removed, ...), printed on stderr by the CLI.
  std::vector<std::string> notices;
};

Result<EditResult> ApplyEdit(Document& doc, const Edit& edit, WallTime now);

// Where a resource is active according to the status: (node, role) pairs,
// in status order. Groups and clones report their primitives' locations.
struct Placement {
  std::string node;
  std::string primitive;
  Role role;
};
std::vector<Placement> ActivePlacements(const Document& doc,
                                        std::string_view rsc);

// Ids of the constraints `crm resource migrate` and `ban` create.
std::string PreferConstraintId(std::string_view rsc);
std::string BanConstraintId(std::string_view rsc, std::string_view node);

}  // namespace paceline::cib
