// The generated scenarios on which Paceline and Pacemaker 2.1.5 knowingly
// disagree, each with the reason (docs/pacemaker-differences.md has the
// minimal reproducing CIBs and the argument for our answer).
#pragma once

#include <cstdint>
#include <vector>

namespace paceline::differential {

struct KnownDifference {
  std::uint64_t seed;
  const char* section;  // the heading in docs/pacemaker-differences.md
  const char* reason;   // one line
};

const std::vector<KnownDifference>& KnownDifferences();
const KnownDifference* FindKnownDifference(std::uint64_t seed);

}  // namespace paceline::differential
