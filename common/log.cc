#include "common/log.h"

#include <ctime>

namespace paceline {

std::string FormatUtcMicros(std::chrono::system_clock::time_point t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                t.time_since_epoch())
                .count();
  std::time_t secs = std::time_t(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buf, int(us % 1000000));
}

void Logger::Write(std::string_view line) const {
  std::string out = fmt::format(
      "{} {}: {}\n", FormatUtcMicros(std::chrono::system_clock::now()), tag_,
      line);
  std::fwrite(out.data(), 1, out.size(), out_);
  std::fflush(out_);
}

}  // namespace paceline
