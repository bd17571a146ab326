// Preemption: SIGTERM / SIGUSR1 ask the trainer to checkpoint at its next sync point and exit with kExitPreempted.
#include "train/stop_signal.h"

#include <ATen/ATen.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <system_error>

#include "cluster/comm/communicator.h"

namespace musictag::train {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the stop flag must be lock-free to be set from a signal handler");

extern "C" void on_stop_signal(int number) {
  int none = 0;
  g_signal.compare_exchange_strong(none, number, std::memory_order_relaxed);
  g_stop.store(true, std::memory_order_release);
}

void install(int number) {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking reads (HDF5, MPI) continue instead of failing with EINTR
  if (sigaction(number, &action, nullptr) != 0)
    throw std::system_error(errno, std::generic_category(), "sigaction for signal " + std::to_string(number));
}

}  // namespace

void install_stop_signal_handlers() {
  install(SIGTERM);
  install(SIGUSR1);
}

bool stop_requested() { return g_stop.load(std::memory_order_acquire); }

int stop_signal_number() { return g_signal.load(std::memory_order_relaxed); }

void request_stop() { g_stop.store(true, std::memory_order_release); }

void clear_stop_request() {
  g_signal.store(0, std::memory_order_relaxed);
  g_stop.store(false, std::memory_order_release);
}

bool any_rank_stop_requested(cluster::Communicator& communicator) {
  auto flag = at::full({1}, stop_requested() ? 1 : 0, at::TensorOptions().dtype(at::kInt)).to(communicator.device());
  communicator.all_reduce(flag, cluster::ReduceOp::Sum);
  return flag.item<int>() > 0;
}

}  // namespace musictag::train
