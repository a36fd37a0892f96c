#include "cib/duration.h"

#include <ctime>

#include "common/strings.h"

namespace paceline::cib {

namespace {

Status BadInterval(std::string_view text) {
  return Status::Syntax("invalid interval " + Quote(text) +
                        " (expected e.g. 15, 15s, 500ms, 1min, 2h or PT1M)");
}

// Reads leading decimal digits; returns the count read.
size_t ReadDigits(std::string_view s, size_t pos, long long* value) {
  size_t start = pos;
  *value = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (*value > 1'000'000'000'000LL) return 0;  // absurd: treat as invalid
    *value = *value * 10 + (s[pos] - '0');
    ++pos;
  }
  return pos - start;
}

}  // namespace

Result<Millis> ParseInterval(std::string_view text) {
  if (!text.empty() && (text[0] == 'P' || text[0] == 'p')) {
    auto iso = ParseIsoDuration(text);
    if (!iso.ok()) return BadInterval(text);
    return iso;
  }
  long long n = 0;
  size_t digits = ReadDigits(text, 0, &n);
  if (digits == 0) return BadInterval(text);
  std::string unit = ToLower(Trim(text.substr(digits)));
  if (unit.empty() || unit == "s" || unit == "sec") return Millis(n * 1000);
  if (unit == "ms" || unit == "msec") return Millis(n);
  if (unit == "us" || unit == "usec") return Millis(n / 1000);
  if (unit == "m" || unit == "min") return Millis(n * 60'000);
  if (unit == "h" || unit == "hr") return Millis(n * 3'600'000);
  return BadInterval(text);
}

Result<Millis> ParseIsoDuration(std::string_view text) {
  auto bad = [&] {
    return Status::Syntax("invalid ISO 8601 duration " + Quote(text) +
                          " (expected e.g. PT30M, PT1H or P1D)");
  };
  if (text.size() < 3 || (text[0] != 'P' && text[0] != 'p')) return bad();
  long long total_s = 0;
  bool in_time = false;
  bool any = false;
  size_t pos = 1;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == 'T' || c == 't') {
      if (in_time) return bad();
      in_time = true;
      ++pos;
      continue;
    }
    long long n = 0;
    size_t digits = ReadDigits(text, pos, &n);
    if (digits == 0 || pos + digits >= text.size()) return bad();
    pos += digits;
    char unit = char(std::toupper(static_cast<unsigned char>(text[pos++])));
    long long mult = 0;
    if (!in_time) {
      mult = unit == 'Y'   ? 365LL * 86400
             : unit == 'M' ? 30LL * 86400
             : unit == 'W' ? 7LL * 86400
             : unit == 'D' ? 86400
                           : 0;
    } else {
      mult = unit == 'H' ? 3600 : unit == 'M' ? 60 : unit == 'S' ? 1 : 0;
    }
    if (mult == 0) return bad();
    total_s += n * mult;
    any = true;
  }
  if (!any) return bad();
  return Millis(total_s * 1000);
}

Result<WallTime> ParseTimestamp(std::string_view text) {
  auto bad = [&] {
    return Status::Syntax("invalid timestamp " + Quote(text) +
                          " (expected e.g. 2026-11-25T10:00:00Z)");
  };
  std::tm tm{};
  long long fields[6] = {0, 0, 0, 0, 0, 0};
  const char seps[6] = {'-', '-', 'T', ':', ':', 0};
  size_t pos = 0;
  for (int i = 0; i < 6; ++i) {
    size_t digits = ReadDigits(text, pos, &fields[i]);
    if (digits == 0) return bad();
    pos += digits;
    if (i < 5) {
      if (pos >= text.size()) return bad();
      char c = text[pos];
      bool ok = c == seps[i] || (i == 2 && (c == ' ' || c == 't'));
      if (!ok) return bad();
      ++pos;
    }
  }
  if (pos < text.size() && text[pos] == '.') {  // fractional seconds: ignored
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  long long offset_s = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z" || zone.empty()) {
    offset_s = 0;
  } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 6 &&
             zone[3] == ':') {
    long long hh = 0, mm = 0;
    if (ReadDigits(zone, 1, &hh) != 2 || ReadDigits(zone, 4, &mm) != 2) {
      return bad();
    }
    offset_s = (hh * 3600 + mm * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 ||
      fields[3] > 23 || fields[4] > 59 || fields[5] > 60) {
    return bad();
  }
  tm.tm_year = int(fields[0] - 1900);
  tm.tm_mon = int(fields[1] - 1);
  tm.tm_mday = int(fields[2]);
  tm.tm_hour = int(fields[3]);
  tm.tm_min = int(fields[4]);
  tm.tm_sec = int(fields[5]);
  time_t t = timegm(&tm);
  return std::chrono::system_clock::from_time_t(t - offset_s);
}

std::string FormatTimestamp(WallTime t) {
  time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace paceline::cib
