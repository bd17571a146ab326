// BatchBufferPool: host memory for batch tensors, recycled when the consumer drops a batch instead of freed.
#pragma once

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace musictag::train {

// Why: a loader thread allocates one batch tensor per batch (8 MiB for 16 x 96 x 1366 float32) and the consumer
// frees it on another thread. glibc serves each loader thread from its own arena, whose extra heaps are unmapped
// as soon as they empty whatever M_TRIM_THRESHOLD says, so the next batch faults its pages in again: up to 800,000
// minor faults per bench_loader run and 2 loader threads slower than 1 (measured; MALLOC_ARENA_MAX=1 removed both).
// Here the memory is allocated once and handed out again.
//
// empty() returns a contiguous CPU tensor on a buffer of the pool: a released one with enough room, else a new one.
// A buffer goes back to the pool when the last tensor (or view) on it is destroyed, on whichever thread; so a buffer
// is never in two live tensors. At most `kept` released buffers are kept (the rest are freed), and buffers released
// after the pool is destroyed are freed. Thread-safe.
//
// pinned: the tensors come from torch's pinned (page-locked) host allocator instead, every time. That allocator is
// already a pool, and the only safe one for pinned memory: a non-blocking copy to the GPU records an event on its
// block, and the block is reused only after the copy finished, whereas recycling here on release would let the next
// batch overwrite memory that a copy is still reading. Needs CUDA (torch throws without it).
class BatchBufferPool {
 public:
  BatchBufferPool(bool pinned, int64_t kept);
  ~BatchBufferPool();
  BatchBufferPool(const BatchBufferPool&) = delete;
  BatchBufferPool& operator=(const BatchBufferPool&) = delete;

  at::Tensor empty(at::IntArrayRef sizes, at::ScalarType dtype);
  bool pinned() const { return pinned_; }
  int64_t allocated() const;  // buffers allocated so far (not counting pinned tensors)
  int64_t released() const;   // buffers waiting in the pool now

 private:
  struct State;
  bool pinned_;
  std::shared_ptr<State> state_;  // shared with each tensor's deleter, so a late release finds it
};

}  // namespace musictag::train
