// Durations and timestamps as Pacemaker writes them.
//
// Operation intervals and timeouts: "15" (seconds), "15s", "500ms", "1min",
// "2h", and ISO 8601 durations such as "PT1M30S". Lifetimes of migrate
// constraints are ISO 8601 durations ("PT1H", "P1D"). Timestamps are
// RFC 3339 / ISO 8601 in UTC ("2026-11-25T10:00:00Z").
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace paceline::cib {

using Millis = std::chrono::milliseconds;

// Interval/timeout syntax (crm and Pacemaker's crm_get_msec): a non-negative
// number with an optional unit ms|msec|us|usec|s|sec|m|min|h|hr, or an ISO
// 8601 duration.
Result<Millis> ParseInterval(std::string_view text);

// ISO 8601 duration: PnYnMnWnDTnHnMnS (years as 365 days, months as 30).
Result<Millis> ParseIsoDuration(std::string_view text);

// "2026-11-25T10:00:00Z" (also accepts a +hh:mm offset and a space for T).
Result<WallTime> ParseTimestamp(std::string_view text);
std::string FormatTimestamp(WallTime t);  // always UTC, seconds precision

}  // namespace paceline::cib
