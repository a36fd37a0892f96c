// The incarnation of a daemon start: a number that grows on every start of
// a node, even across clock steps backwards, because the membership keys
// and nonces depend on never reusing one (docs/membership.md). It is
// max(persisted + 1, wall-clock microseconds), persisted atomically in
// STATE_DIR/incarnation before the daemon sends anything.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace paceline::crmd {

Result<uint64_t> NextIncarnation(const std::string& state_dir, WallTime now);

}  // namespace paceline::crmd
