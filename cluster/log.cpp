// Logging with the rank in every line: a thin layer over spdlog.
#include "cluster/log.h"

#include <fmt/format.h>

namespace musictag::cluster {

void set_log_rank(int rank, int size, const std::string& hostname) {
  spdlog::set_pattern(fmt::format("[%H:%M:%S] [rank {}/{} {}] %^%l%$: %v", rank, size, hostname));
}

}  // namespace musictag::cluster
