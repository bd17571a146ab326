// PrefetchQueue: background threads build batches first..end-1 ahead of the consumer, delivered strictly in order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "train/data/batch_tensors.h"

namespace musictag::train {

// Thread w builds batches first + w, first + w + T, ... (a static assignment, so which thread builds a batch never
// changes its content). A thread starts batch b only while b < (next batch to deliver) + capacity, so at most
// `capacity` batches are built or being built ahead of the consumer. An exception while building batch b is kept
// and rethrown by next() when the consumer reaches b (earlier batches are still delivered); that thread stops.
// The destructor stops and joins every thread; a thread inside produce() finishes that one batch first.
class PrefetchQueue {
 public:
  using Producer = std::function<Batch(int thread, int64_t batch)>;

  PrefetchQueue(int threads, int64_t capacity, int64_t first, int64_t end, Producer produce);
  ~PrefetchQueue();
  PrefetchQueue(const PrefetchQueue&) = delete;
  PrefetchQueue& operator=(const PrefetchQueue&) = delete;

  // The next batch in order, waiting for it if needed; std::nullopt after the last one. Rethrows a thread's error.
  std::optional<Batch> next();
  int64_t next_index() const { return next_; }           // the batch next() delivers
  double wait_seconds() const { return wait_seconds_; }  // time next() spent blocked so far

 private:
  void run(int thread);

  struct Slot {
    std::optional<Batch> batch;
    std::exception_ptr error;
  };

  const int thread_count_;
  const int64_t capacity_, first_, end_;
  Producer produce_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int64_t, Slot> ready_;
  int64_t next_;
  bool stopping_ = false;
  double wait_seconds_ = 0.0;
  std::vector<std::thread> threads_;
};

}  // namespace musictag::train
