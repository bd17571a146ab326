// Logging with the rank in every line: a thin layer over spdlog.
#pragma once

#include <spdlog/spdlog.h>

namespace musictag::cluster {

// Whether level names are coloured: automatic = only when stdout is a terminal (spdlog checks isatty).
enum class LogColour { automatic, always, never };

// NO_COLOR (any non-empty value) -> never; else MUSICTAG_COLOR=always|never; else never for a rank started by an MPI
// launcher (mpirun hands it a pseudo-terminal even when its output goes to a file); else automatic.
LogColour log_colour_from_environment();
void set_log_colour(LogColour colour);

// Sets the global logger's prefix to "[time] [rank r/n host] level: ", its colour (log_colour_from_environment())
// and its level: MUSICTAG_LOG_LEVEL=debug|info|warn|error (default info; debug adds, e.g., a library's full error
// stack behind a one-line error). Call once the world is known; before that, lines carry "rank ?".
void set_log_rank(int rank, int size, const std::string& hostname);

}  // namespace musictag::cluster

namespace musictag::log {
using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;
}  // namespace musictag::log
