// Phi-accrual link detector (see detector.h).
#include "membership/detector.h"

#include <algorithm>
#include <cmath>

namespace paceline::membership {
namespace {

double ToMs(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

void LinkDetector::OnArrival(SteadyTime now, bool periodic) {
  if (periodic) {
    if (have_periodic_ && now > last_periodic_) {
      // A gap much longer than max_timeout is an outage, not a sample: it
      // would teach the detector to wait forever.
      double gap = std::min(ToMs(now - last_periodic_),
                            double(config_.max_timeout.count()));
      if (count_ == kWindow) {
        sum_ -= samples_[next_];
        sum_sq_ -= samples_[next_] * samples_[next_];
      } else {
        ++count_;
      }
      samples_[next_] = gap;
      sum_ += gap;
      sum_sq_ += gap * gap;
      next_ = (next_ + 1) % kWindow;
    }
    last_periodic_ = now;
    have_periodic_ = true;
  }
  if (!heard_ || now > last_) last_ = now;
  heard_ = true;
  up_ = true;
}

void LinkDetector::Forgive(SteadyTime now) {
  if (!heard_) return;
  last_ = std::max(last_, now);
  if (have_periodic_) last_periodic_ = std::max(last_periodic_, now);
}

Millis LinkDetector::Silence(SteadyTime now) const {
  if (!heard_ || now <= last_) return Millis(0);
  return std::chrono::duration_cast<Millis>(now - last_);
}

double LinkDetector::mean_ms() const {
  if (count_ == 0) return double(interval_.count());
  return sum_ / double(count_);
}

double LinkDetector::Phi(SteadyTime now) const {
  if (!heard_) return 0;
  double mean = mean_ms();
  double var = count_ > 1 ? sum_sq_ / double(count_) - mean * mean : 0;
  // A floor on the spread: a perfectly regular history would otherwise
  // make phi jump from 0 to infinity one millisecond after the mean.
  double floor = std::max(1.0, mean / 4);
  double sd = std::max(std::sqrt(std::max(var, 0.0)), floor);
  double t = ToMs(now - last_);
  if (t <= 0) return 0;
  // P(arrival later than t) for a normal distribution, as a -log10.
  double p_later = 0.5 * std::erfc((t - mean) / (sd * std::sqrt(2.0)));
  if (p_later < 1e-300) return 300;
  return -std::log10(p_later);
}

bool LinkDetector::Suspect(SteadyTime now) const {
  return up_ && Silence(now) >= 2 * interval_;
}

bool LinkDetector::Dead(SteadyTime now) const {
  if (!heard_) return true;
  Millis silence = Silence(now);
  if (silence < config_.min_timeout) return false;
  if (silence >= config_.max_timeout) return true;
  return Phi(now) >= config_.phi_threshold;
}

}  // namespace paceline::membership
