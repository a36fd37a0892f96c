#include "tests/differential/known_differences.h"

namespace paceline::differential {

const std::vector<KnownDifference>& KnownDifferences() {
  // Seeds 1-300 that do not agree, under the section of their first
  // difference (docs/pacemaker-differences.md); `also` names the others.
  static const std::vector<KnownDifference> known = {
      {1, "Placement of primitives and groups",
       "also: Placement of clone instances"},
      {3, "Placement of primitives and groups",
       "also: Placement of clone instances, Which instance is promoted, "
       "Pacemaker restarts anonymous clone instances in place"},
      {4, "Pacemaker restarts anonymous clone instances in place",
       "also: Pacemaker drops the promote of a restarted promoted instance"},
      {6, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {8, "Pacemaker restarts anonymous clone instances in place",
       "also: Which instance is promoted"},
      {13, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {14, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {17, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {38, "Pacemaker produces an invalid transition", "see the section"},
      {44, "Pacemaker repeats the promote of a promoted instance",
       "see the section"},
      {47, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {55, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {61, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {63, "Pacemaker repeats the promote of a promoted instance",
       "see the section"},
      {67, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {70, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {74, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {77, "Placement of primitives and groups",
       "also: Placement of clone instances, Pacemaker restarts anonymous clone "
       "instances in place"},
      {84, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {88, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {103, "Pacemaker produces an invalid transition", "see the section"},
      {112, "Pacemaker restarts anonymous clone instances in place",
       "also: Pacemaker drops the promote of a restarted promoted instance"},
      {118, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {122, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {123, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {138, "Pacemaker drops the promote of a restarted promoted instance",
       "the dropped promote of ms13 is why Pacemaker does not restart ms21 "
       "(ord40)"},
      {142, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {151, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {155, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {159, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {177, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {185, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {205, "Placement of primitives and groups",
       "also: Placement of clone instances, Pacemaker restarts anonymous clone "
       "instances in place"},
      {207, "Pacemaker repeats the promote of a promoted instance",
       "see the section"},
      {208, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {213, "Placement of clone instances", "see the section"},
      {214, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {215, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {217, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {219, "Pacemaker repeats the promote of a promoted instance",
       "see the section"},
      {220, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {226, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {238, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {241, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {255, "Pacemaker drops the promote of a restarted promoted instance",
       "see the section"},
      {266, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {272, "Pacemaker repeats the promote of a promoted instance",
       "also: Pacemaker restarts anonymous clone instances in place"},
      {275, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
      {292, "Placement of primitives and groups",
       "also: Placement of clone instances"},
      {295, "Pacemaker restarts anonymous clone instances in place",
       "see the section"},
  };
  return known;
}

const KnownDifference* FindKnownDifference(std::uint64_t seed) {
  for (const auto& k : KnownDifferences()) {
    if (k.seed == seed) return &k;
  }
  return nullptr;
}

}  // namespace paceline::differential
