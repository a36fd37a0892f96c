// A minimal line logger for daemons: "2026-11-26T03:10:00.123456Z
// paceline[HA-node1]: message" on a stream (stderr, or the log file a
// detached daemon redirects it to). Timestamps are UTC with microseconds so
// benchmark scripts can measure from log lines.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace paceline {

// "2026-11-26T03:10:00.123456Z".
std::string FormatUtcMicros(std::chrono::system_clock::time_point t);

class Logger {
 public:
  explicit Logger(std::string tag, std::FILE* out = stderr)
      : tag_(std::move(tag)), out_(out) {}
  template <typename... Args>
  void Info(fmt::format_string<Args...> f, Args&&... args) const {
    Write(fmt::format(f, std::forward<Args>(args)...));
  }
  void Write(std::string_view line) const;

 private:
  std::string tag_;
  std::FILE* out_;
};

}  // namespace paceline
