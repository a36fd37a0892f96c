// LinkDetector: is a peer still talking on one link? A phi-accrual
// suspicion level (Hayashibara et al.) over the recent heartbeat
// inter-arrival times, bounded by DetectorConfig: never dead before
// min_timeout of silence (one late heartbeat is not a death), always dead
// after max_timeout (a silent peer is declared dead by then, whatever its
// history). Between the two, phi decides: on a quiet LAN the spread is
// tiny and a peer dies at min_timeout; on a lossy or jittery one phi grows
// slowly and the bound moves towards max_timeout.
//
// Before a peer can die it is first *suspected* (silent for two heartbeat
// intervals); the state machine then probes it on every link several times
// per interval, so random loss has to swallow many datagrams in a row
// before a live peer is declared dead.
//
// Pure: time is an argument (a steady clock's time points). Fixed memory.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>

#include "membership/cluster_config.h"

namespace paceline::membership {

using SteadyTime = std::chrono::steady_clock::time_point;

class LinkDetector {
 public:
  static constexpr size_t kWindow = 64;

  LinkDetector(const DetectorConfig& config, Millis heartbeat_interval)
      : config_(config), interval_(heartbeat_interval) {}

  // A datagram from the peer arrived on this link. `periodic` is false for
  // probe replies, which say "alive" but are not a heartbeat interval.
  void OnArrival(SteadyTime now, bool periodic);
  // Forget the silence so far (after this node's own stall): the peer is
  // treated as heard at `now`; the inter-arrival history is kept.
  void Forgive(SteadyTime now);
  // The link is considered down (no arrival yet, or declared dead).
  void MarkDown() { up_ = false; }

  bool up() const { return up_; }
  bool heard() const { return heard_; }
  Millis Silence(SteadyTime now) const;
  double Phi(SteadyTime now) const;
  bool Suspect(SteadyTime now) const;
  // When Suspect() becomes true if nothing arrives (only meaningful up()).
  SteadyTime SuspectAt() const { return last_ + 2 * interval_; }
  // Silent for >= min_timeout and (phi >= threshold or >= max_timeout).
  bool Dead(SteadyTime now) const;
  double mean_ms() const;

 private:
  DetectorConfig config_;
  Millis interval_;
  bool heard_ = false;
  bool up_ = false;
  SteadyTime last_{};           // last arrival of any kind
  SteadyTime last_periodic_{};  // last periodic heartbeat (for samples)
  bool have_periodic_ = false;
  std::array<double, kWindow> samples_{};  // inter-arrival, ms
  size_t count_ = 0;
  size_t next_ = 0;
  double sum_ = 0;
  double sum_sq_ = 0;
};

}  // namespace paceline::membership
