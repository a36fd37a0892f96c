// crm_attribute and crm_master, as resource agents call them to publish
// promotion scores (ocf:pacemaker:Stateful runs `crm_attribute --promotion
// -v 10`; drbd runs `crm_master -l reboot -v 10000`). The binary answers to
// these names from a private directory that the executor puts first in the
// agents' PATH and HA_SBIN_DIR, so Pacemaker's own tools in /usr/sbin are
// never shadowed. The attribute lands in our node attributes: the offline
// CIB file (PACELINE_CIB / CIB_file) today, the daemon later.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"

namespace paceline::cli {

// `master` selects crm_master's behaviour (the attribute is always
// master-<resource>, lifetime reboot unless given). env holds the relevant
// environment variables (OCF_RESOURCE_INSTANCE, OCF_RESKEY_CRM_meta_on_node,
// PACELINE_CIB, CIB_file, PACELINE_SOCKET). Exit codes as Pacemaker's:
// 0 done, 64 usage, 105 no such attribute (query), 1 anything else.
int RunAttributeShim(bool master, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     WallTime now, std::ostream& out, std::ostream& err);

}  // namespace paceline::cli
