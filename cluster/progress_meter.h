// Progress lines for long work: "done/total (pct), rate per second, ETA", printed at most every few seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace musictag::cluster {

class ProgressMeter {
 public:
  // `what` names the unit ("tracks"); a line is logged at most every `interval_seconds` (0 = every update).
  ProgressMeter(std::string what, int64_t total, double interval_seconds);

  // Records that `done` units are finished in all; logs a line when the interval has passed.
  void update(int64_t done);
  // Logs the final line (always).
  void finish(int64_t done);

  // "120/300 tracks (40.0%), 8.1 tracks/s, ETA 22 s": the text of a line for `done` after `seconds`.
  std::string line(int64_t done, double seconds) const;
  double elapsed_seconds() const;

 private:
  std::string what_;
  int64_t total_;
  double interval_;
  std::chrono::steady_clock::time_point start_, last_;
};

// "42 s", "3 min 5 s", "2 h 10 min": a duration for people.
std::string format_duration(double seconds);

}  // namespace musictag::cluster
