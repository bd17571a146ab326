// Logging with the rank in every line: a thin layer over spdlog.
#include "cluster/log.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

namespace musictag::cluster {
namespace {

bool set_in_environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// MUSICTAG_LOG_LEVEL, when set to one of the names below; anything else leaves the level alone (with a warning).
void set_log_level_from_environment() {
  const char* name = std::getenv("MUSICTAG_LOG_LEVEL");
  if (name == nullptr || *name == '\0') return;
  const std::pair<const char*, spdlog::level::level_enum> levels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},  {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},   {"warning", spdlog::level::warn}, {"error", spdlog::level::err}};
  for (const auto& [known, level] : levels) {
    if (std::strcmp(name, known) == 0) {
      spdlog::set_level(level);
      return;
    }
  }
  spdlog::warn("MUSICTAG_LOG_LEVEL={} is not one of trace, debug, info, warn, error: ignored", name);
}

}  // namespace

LogColour log_colour_from_environment() {
  if (set_in_environment("NO_COLOR")) return LogColour::never;  // https://no-color.org
  if (const char* forced = std::getenv("MUSICTAG_COLOR")) {
    if (std::strcmp(forced, "always") == 0) return LogColour::always;
    if (std::strcmp(forced, "never") == 0) return LogColour::never;
  }
  // mpirun forwards a rank's output through a pseudo-terminal even into a file or a pipe, so a rank it started
  // cannot tell whether a person is reading: plain text.
  if (set_in_environment("OMPI_COMM_WORLD_SIZE") || set_in_environment("PMIX_RANK") || set_in_environment("PMI_RANK"))
    return LogColour::never;
  return LogColour::automatic;
}

void set_log_colour(LogColour colour) {
  const auto mode = colour == LogColour::always  ? spdlog::color_mode::always
                    : colour == LogColour::never ? spdlog::color_mode::never
                                                 : spdlog::color_mode::automatic;
  for (const auto& sink : spdlog::default_logger()->sinks())
    if (auto coloured = std::dynamic_pointer_cast<spdlog::sinks::stdout_color_sink_mt>(sink))
      coloured->set_color_mode(mode);
}

void set_log_rank(int rank, int size, const std::string& hostname) {
  set_log_colour(log_colour_from_environment());
  set_log_level_from_environment();
  spdlog::set_pattern(fmt::format("[%H:%M:%S] [rank {}/{} {}] %^%l%$: %v", rank, size, hostname));
}

}  // namespace musictag::cluster
