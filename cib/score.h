// Scores: Pacemaker's saturating integer arithmetic around +/-INFINITY.
//
// INFINITY is 1,000,000. Sums saturate at the bounds, and -INFINITY wins
// over +INFINITY (a ban beats a preference): INFINITY + -INFINITY = -INFINITY.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline::cib {

inline constexpr long long kInfinity = 1000000;

class Score {
 public:
  constexpr Score() = default;
  constexpr explicit Score(long long v) : v_(Clamp(v)) {}
  static constexpr Score Infinity() { return Score(kInfinity); }
  static constexpr Score MinusInfinity() { return Score(-kInfinity); }

  constexpr long long value() const { return v_; }
  constexpr bool IsInfinity() const { return v_ == kInfinity; }
  constexpr bool IsMinusInfinity() const { return v_ == -kInfinity; }

  friend Score operator+(Score a, Score b);
  Score& operator+=(Score b) { return *this = *this + b; }
  friend constexpr auto operator<=>(Score a, Score b) = default;

  // "INFINITY", "-INFINITY" or the decimal value.
  std::string ToString() const;
  // crm shell spelling: "inf", "-inf" or the decimal value.
  std::string ToCrm() const;

 private:
  static constexpr long long Clamp(long long v) {
    return v > kInfinity ? kInfinity : (v < -kInfinity ? -kInfinity : v);
  }
  long long v_ = 0;
};

// Accepts inf, +inf, -inf, INFINITY, +INFINITY, -INFINITY (any case) and
// decimal integers; integers beyond the bounds saturate as Pacemaker does.
Result<Score> ParseScore(std::string_view text);

}  // namespace paceline::cib
