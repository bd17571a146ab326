// parallel_for on plain std::threads for the metrics: items claimed one by one, the first exception rethrown.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace musictag::eval {

// Number of threads to use for n_items: requested (0 = the machine's hardware threads), at most n_items, >= 1.
inline size_t resolve_thread_count(size_t requested, size_t n_items) {
  size_t threads = requested != 0 ? requested : std::max<size_t>(1, std::thread::hardware_concurrency());
  return std::max<size_t>(1, std::min(threads, n_items));
}

// Plain std::threads rather than OpenMP: libtorch brings its own OpenMP runtime into training's processes, and the
// metrics need nothing more than a handful of workers that each take the next item.
//
// Calls body(item, worker) for every item in [0, n_items) on n_threads threads (worker in [0, n_threads), so
// callers can keep per-worker scratch). Items are claimed dynamically; results must be written per item, so the
// outcome does not depend on the thread count. The first exception thrown by a body is rethrown here after all
// threads have stopped.
template <typename Body>
void parallel_for(size_t n_items, size_t n_threads, Body&& body) {
  if (n_threads <= 1 || n_items <= 1) {
    for (size_t item = 0; item < n_items; ++item) body(item, size_t{0});
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](size_t worker) {
    for (size_t item = next++; item < n_items; item = next++) {
      try {
        body(item, worker);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n_items;  // stop handing out work
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(n_threads - 1);
  for (size_t worker = 1; worker < n_threads; ++worker) {
    try {
      threads.emplace_back(work, worker);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones started (and this one) do all the items
    }
  }
  work(0);
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace musictag::eval
