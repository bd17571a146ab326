// PrefetchQueue: window-bounded worker threads, an ordered map of finished batches, errors delivered in order.
#include "train/data/prefetch_queue.h"

#include <chrono>

namespace musictag::train {

PrefetchQueue::PrefetchQueue(int threads, int64_t capacity, int64_t first, int64_t end, Producer produce)
    : thread_count_(threads < 1 ? 1 : threads),
      capacity_(capacity < 1 ? 1 : capacity),
      first_(first),
      end_(end),
      produce_(std::move(produce)),
      next_(first) {
  threads_.reserve(static_cast<size_t>(thread_count_));
  try {
    for (int t = 0; t < thread_count_; ++t) threads_.emplace_back([this, t] { run(t); });
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
    throw;
  }
}

PrefetchQueue::~PrefetchQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void PrefetchQueue::run(int thread) {
  for (int64_t b = first_ + thread; b < end_; b += thread_count_) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || b < next_ + capacity_; });
      if (stopping_) return;
    }
    Slot slot;
    try {
      slot.batch = produce_(thread, b);
    } catch (...) {
      slot.error = std::current_exception();
    }
    const bool failed = static_cast<bool>(slot.error);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_[b] = std::move(slot);
    }
    changed_.notify_all();
    if (failed) return;
  }
}

std::optional<Batch> PrefetchQueue::next() {
  if (next_ >= end_) return std::nullopt;
  std::unique_lock<std::mutex> lock(mutex_);
  auto found = ready_.find(next_);
  if (found == ready_.end()) {
    const auto start = std::chrono::steady_clock::now();
    changed_.wait(lock, [&] { return (found = ready_.find(next_)) != ready_.end(); });
    wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (found->second.error) std::rethrow_exception(found->second.error);  // stays: next() rethrows it again
  Batch batch = std::move(*found->second.batch);
  ready_.erase(found);
  ++next_;
  lock.unlock();
  changed_.notify_all();
  return batch;
}

}  // namespace musictag::train
