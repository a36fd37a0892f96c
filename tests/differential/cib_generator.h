// Random but realistic Pacemaker CIBs for the differential tests, each one
// fully determined by its seed (the same seed gives the same bytes on any
// machine: the generator draws from std::mt19937_64 and never uses the
// standard distributions, whose results are implementation-defined).
//
// A scenario is a pacemaker-3.x CIB (crm_feature_set 3.16.1, the Pacemaker
// 2.1.5 that Debian 12 ships) with its status section:
//   - 2..8 nodes, some in standby, some cleanly offline, some lost
//     (unclean; stonith-enabled=false, so both schedulers assume them down);
//     quorum held or lost under each no-quorum-policy;
//   - up to ~25 primitives: ocf:pacemaker:Dummy standalone, in groups and in
//     anonymous clones; ocf:pacemaker:Stateful in promotable clones;
//   - colocations (+/-INFINITY and finite, with Promoted/Unpromoted roles on
//     promotable sides), orders (Mandatory/Optional, start and promote
//     actions), locations (scores, bans, role=Promoted, crmsh's
//     cli-prefer-/cli-ban- constraints, with and without a lifetime rule);
//     colocations and orders between top-level resources follow one random
//     ranking, so neither forms a cycle;
//   - resource-stickiness by default and per resource, migration-threshold,
//     target-role=Stopped, notify on some clones;
//   - history: resources stopped, running, promoted, not yet probed; failed
//     monitors and starts with their fail counts and last-failure times;
//     promotion scores (master-RSC); every operation with the op-digest
//     Pacemaker computes (op_digest.h), so nothing restarts spuriously.
//
// Deliberately outside the generator, because Paceline does not implement
// them (docs/policy.md) or because the two schedulers could not be given the
// same clock: resource sets, utilization, interleave, globally-unique
// clones, live migration, fencing, failure-timeout and other times relative
// to "now" except lifetimes far in the past or future (crm_simulate gets
// -t kNow, paceline simulate reads the real clock).
#pragma once

#include <cstdint>
#include <string>

namespace paceline::differential {

// The instant crm_simulate is pinned to (-t), as an ISO 8601 string, and as
// seconds since the epoch; every timestamp in a generated status is before
// it.
inline constexpr const char* kNowIso = "2026-01-01 10:00:00Z";
inline constexpr long long kNowEpoch = 1767261600;

struct GeneratorOptions {
  int min_nodes = 2;
  int max_nodes = 8;
  int max_primitives = 25;
};

std::string GenerateCib(std::uint64_t seed,
                        const GeneratorOptions& options = {});

}  // namespace paceline::differential
