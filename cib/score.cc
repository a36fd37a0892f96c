#include "cib/score.h"

#include "common/strings.h"

namespace paceline::cib {

Score operator+(Score a, Score b) {
  if (a.IsMinusInfinity() || b.IsMinusInfinity()) return Score::MinusInfinity();
  if (a.IsInfinity() || b.IsInfinity()) return Score::Infinity();
  return Score(a.v_ + b.v_);  // both within +/-1e6: no overflow
}

std::string Score::ToString() const {
  if (IsInfinity()) return "INFINITY";
  if (IsMinusInfinity()) return "-INFINITY";
  return std::to_string(v_);
}

std::string Score::ToCrm() const {
  if (IsInfinity()) return "inf";
  if (IsMinusInfinity()) return "-inf";
  return std::to_string(v_);
}

Result<Score> ParseScore(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (IEquals(body, "inf") || IEquals(body, "infinity")) {
    return negative ? Score::MinusInfinity() : Score::Infinity();
  }
  long long v = 0;
  if (ParseInt64(text, &v)) return Score(v);
  // Digits that overflow 64 bits still mean "beyond INFINITY".
  bool digits = !body.empty();
  for (char c : body) digits = digits && c >= '0' && c <= '9';
  if (digits) return negative ? Score::MinusInfinity() : Score::Infinity();
  return Status::Syntax("invalid score " + Quote(text) +
                        " (expected an integer, inf, -inf or INFINITY)");
}

}  // namespace paceline::cib
