// BatchBufferPool: buffers come back after release, a live tensor's buffer is never handed out, pinned is honoured.
#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <thread>

#include "train/data/batch_buffer_pool.h"

namespace musictag::train {
namespace {

TEST(BatchBufferPool, AReleasedBufferIsReusedAndALiveOneNever) {
  BatchBufferPool pool(/*pinned=*/false, /*kept=*/4);
  at::Tensor a = pool.empty({16, 8, 40}, at::kFloat);
  EXPECT_EQ(a.sizes().vec(), (std::vector<int64_t>{16, 8, 40}));
  EXPECT_EQ(a.scalar_type(), at::kFloat);
  EXPECT_TRUE(a.is_contiguous());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data_ptr()) % 64, 0u);
  a.fill_(1.0f);
  void* const first = a.data_ptr();
  at::Tensor b = pool.empty({16, 8, 40}, at::kFloat);  // a is alive: another buffer
  EXPECT_NE(b.data_ptr(), first);
  EXPECT_EQ(pool.allocated(), 2);

  at::Tensor view = a.slice(0, 0, 2);  // a view keeps the buffer alive too
  a.reset();
  EXPECT_EQ(pool.released(), 0);
  at::Tensor c = pool.empty({16, 8, 40}, at::kFloat);
  EXPECT_NE(c.data_ptr(), first);
  EXPECT_EQ(pool.allocated(), 3);
  EXPECT_EQ(view.sum().item<float>(), 2.0f * 8 * 40);  // untouched by the new tensors

  view.reset();  // the last reference: the buffer is back
  EXPECT_EQ(pool.released(), 1);
  at::Tensor d = pool.empty({4, 8, 40}, at::kHalf);  // smaller, other dtype: fits in the released buffer
  EXPECT_EQ(d.data_ptr(), first);
  EXPECT_EQ(pool.allocated(), 3);
  EXPECT_EQ(pool.released(), 0);
}

TEST(BatchBufferPool, KeepsAtMostKeptBuffersAndTooSmallOnesAreNotUsed) {
  BatchBufferPool pool(false, 1);
  { at::Tensor a = pool.empty({10}, at::kFloat), b = pool.empty({10}, at::kFloat); }
  EXPECT_EQ(pool.released(), 1);  // the other one was freed
  at::Tensor big = pool.empty({1000}, at::kFloat);
  EXPECT_EQ(pool.allocated(), 3);  // 40 bytes do not hold 4000
  EXPECT_EQ(pool.released(), 1);
}

TEST(BatchBufferPool, TensorsMayOutliveThePoolAndBeReleasedOnAnotherThread) {
  at::Tensor kept;
  {
    BatchBufferPool pool(false, 4);
    kept = pool.empty({3, 5}, at::kFloat);
    kept.fill_(2.0f);
  }
  EXPECT_EQ(kept.sum().item<float>(), 30.0f);
  std::thread([tensor = std::move(kept)]() mutable { tensor.reset(); }).join();  // freed, not pooled: no leak, no crash
}

TEST(BatchBufferPool, PinnedTensorsComeFromTorchsPinnedAllocator) {
  BatchBufferPool pool(/*pinned=*/true, 4);
  EXPECT_TRUE(pool.pinned());
  if (!torch::cuda::is_available()) {
    // Page-locked memory needs CUDA: the request fails instead of quietly returning pageable memory.
    EXPECT_ANY_THROW(pool.empty({2, 3}, at::kHalf));
    return;
  }
  at::Tensor a = pool.empty({2, 3}, at::kHalf);
  EXPECT_TRUE(a.is_pinned());
  EXPECT_EQ(pool.allocated(), 0);  // not this pool's buffers: torch's allocator reuses them after their copies
}

}  // namespace
}  // namespace musictag::train
