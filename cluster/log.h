// Logging with the rank in every line: a thin layer over spdlog.
#pragma once

#include <spdlog/spdlog.h>

namespace musictag::cluster {

// Sets the global logger's prefix to "[time] [rank r/n host] level: ". Call once the world is known;
// before that, lines carry "rank ?".
void set_log_rank(int rank, int size, const std::string& hostname);

}  // namespace musictag::cluster

namespace musictag::log {
using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;
}  // namespace musictag::log
