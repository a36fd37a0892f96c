// Time is an input. Code that needs "now" takes a TimePoint argument or a
// Clock&; only composition roots (main, the daemon) read the real clock.
#pragma once

#include <chrono>

namespace paceline {

using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime t) : now_(t) {}
  WallTime Now() const override { return now_; }
  void Set(WallTime t) { now_ = t; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  WallTime now_;
};

}  // namespace paceline
