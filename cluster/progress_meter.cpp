// Progress lines for long work: "done/total (pct), rate per second, ETA", printed at most every few seconds.
#include "cluster/progress_meter.h"

#include <fmt/format.h>

#include <cmath>

#include "cluster/log.h"

namespace musictag::cluster {

ProgressMeter::ProgressMeter(std::string what, int64_t total, double interval_seconds)
    : what_(std::move(what)),
      total_(total),
      interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

double ProgressMeter::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressMeter::update(int64_t done) {
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_) return;
  last_ = now;
  log::info("{}", line(done, elapsed_seconds()));
}

void ProgressMeter::finish(int64_t done) { log::info("{} (done)", line(done, elapsed_seconds())); }

std::string ProgressMeter::line(int64_t done, double seconds) const {
  const double percent = total_ > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total_) : 100.0;
  const double rate = seconds > 0.0 ? static_cast<double>(done) / seconds : 0.0;
  std::string eta = "?";
  if (done >= total_) {
    eta = "0 s";
  } else if (rate > 0.0) {
    eta = format_duration(static_cast<double>(total_ - done) / rate);
  }
  return fmt::format("{}/{} {} ({:.1f}%), {:.1f} {}/s, elapsed {}, ETA {}", done, total_, what_, percent, rate, what_,
                     format_duration(seconds), eta);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "?";
  const auto total = static_cast<int64_t>(std::llround(seconds));
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{} min {} s", total / 60, total % 60);
  return fmt::format("{} h {} min", total / 3600, (total % 3600) / 60);
}

}  // namespace musictag::cluster
