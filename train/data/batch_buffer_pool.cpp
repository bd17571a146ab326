// BatchBufferPool: a free list of aligned buffers behind tensors whose deleter returns the buffer to it.
#include "train/data/batch_buffer_pool.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace musictag::train {

namespace {
constexpr size_t kAlignment = 64;  // as c10's CPU allocator: whole cache lines, any vector instruction
}

struct BatchBufferPool::State {
  struct Buffer {
    void* data = nullptr;
    size_t bytes = 0;
  };
  std::mutex mutex;
  std::vector<Buffer> released;
  size_t kept = 0;
  int64_t allocated = 0;
  bool closed = false;  // the pool is gone: released buffers are freed

  ~State() {
    for (const Buffer& buffer : released) std::free(buffer.data);
  }

  void give_back(Buffer buffer) {
    {
      const std::lock_guard<std::mutex> lock(mutex);
      if (!closed && released.size() < kept) {
        released.push_back(buffer);
        return;
      }
    }
    std::free(buffer.data);
  }
};

BatchBufferPool::BatchBufferPool(bool pinned, int64_t kept) : pinned_(pinned), state_(std::make_shared<State>()) {
  state_->kept = static_cast<size_t>(kept < 0 ? 0 : kept);
}

BatchBufferPool::~BatchBufferPool() {
  std::vector<State::Buffer> released;
  {
    const std::lock_guard<std::mutex> lock(state_->mutex);
    state_->closed = true;
    released.swap(state_->released);
  }
  for (const State::Buffer& buffer : released) std::free(buffer.data);
}

at::Tensor BatchBufferPool::empty(at::IntArrayRef sizes, at::ScalarType dtype) {
  const auto options = at::TensorOptions().dtype(dtype).device(at::kCPU);
  if (pinned_) return at::empty(sizes, options.pinned_memory(true));
  size_t bytes = c10::elementSize(dtype);
  for (const int64_t size : sizes) bytes *= static_cast<size_t>(size);
  State::Buffer buffer;
  {
    const std::lock_guard<std::mutex> lock(state_->mutex);
    auto& released = state_->released;
    for (size_t k = 0; k < released.size(); ++k) {
      if (released[k].bytes >= bytes) {
        buffer = released[k];
        released.erase(released.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      }
    }
  }
  if (!buffer.data) {
    buffer.bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;  // aligned_alloc wants a multiple
    buffer.data = std::aligned_alloc(kAlignment, buffer.bytes == 0 ? kAlignment : buffer.bytes);
    if (!buffer.data) throw std::bad_alloc();
    const std::lock_guard<std::mutex> lock(state_->mutex);
    ++state_->allocated;
  }
  std::shared_ptr<State> state = state_;
  return at::from_blob(
      buffer.data, sizes, [state, buffer](void*) { state->give_back(buffer); }, options);
}

int64_t BatchBufferPool::allocated() const {
  const std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->allocated;
}

int64_t BatchBufferPool::released() const {
  const std::lock_guard<std::mutex> lock(state_->mutex);
  return static_cast<int64_t>(state_->released.size());
}

}  // namespace musictag::train
