// Loader failures and shutdown: a damaged part surfaces as DataError naming it, errors arrive in order, no hangs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <random>
#include <thread>

#include "cluster/errors.h"
#include "data_test_support.h"
#include "train/data/batch_loader.h"
#include "train/data/prefetch_queue.h"

namespace musictag::train {
namespace {

// Runs `body` on another thread; a body that does not finish within `seconds` is a hang: the test binary aborts
// (its threads cannot be joined), so ctest reports the failure instead of waiting for its own timeout.
template <typename Body>
void within_seconds(double seconds, Body body) {
  auto done = std::async(std::launch::async, body);
  if (done.wait_for(std::chrono::duration<double>(seconds)) != std::future_status::ready) {
    std::fprintf(stderr, "hang: did not finish within %.0f s\n", seconds);
    std::abort();
  }
  done.get();
}

Batch numbered(int64_t b) {
  Batch batch;
  batch.index = b;
  return batch;
}

TEST(PrefetchQueue, DeliversInOrderAndNeverRunsMoreThanCapacityAhead) {
  for (const int threads : {1, 2, 5}) {
    std::atomic<int64_t> consumed{2}, worst_ahead{0};  // consumed: the next batch to deliver
    PrefetchQueue queue(threads, 3, 2, 40, [&](int, int64_t b) {
      const int64_t ahead = b - consumed.load();
      int64_t seen = worst_ahead.load();
      while (ahead > seen && !worst_ahead.compare_exchange_weak(seen, ahead)) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds((b * 7919) % 500));
      return numbered(b);
    });
    for (int64_t b = 2; b < 40; ++b) {
      const auto batch = queue.next();
      ASSERT_TRUE(batch);
      ASSERT_EQ(batch->index, b);
      consumed = b + 1;
    }
    EXPECT_FALSE(queue.next());
    // Started only when b < next + capacity (2 ahead at most); `consumed` lags the queue's own count by one.
    EXPECT_LE(worst_ahead.load(), 3) << "threads " << threads;
    EXPECT_GE(queue.wait_seconds(), 0.0);
  }
}

TEST(PrefetchQueue, AnErrorArrivesAtItsBatchAfterTheEarlierOnesAndStays) {
  PrefetchQueue queue(3, 4, 0, 20, [](int, int64_t b) {
    if (b == 5) throw DataError("part file 'p5.h5': broken");
    return numbered(b);
  });
  for (int64_t b = 0; b < 5; ++b) EXPECT_EQ(queue.next()->index, b);
  EXPECT_THROW(queue.next(), DataError);
  EXPECT_THROW(queue.next(), DataError);  // the consumer cannot skip past it
}

TEST(PrefetchQueue, DestroyingItWhileThreadsWaitOrWorkDoesNotHang) {
  within_seconds(30, [] {
    for (int round = 0; round < 50; ++round) {
      PrefetchQueue queue(4, 2, 0, 1000, [](int, int64_t b) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        return numbered(b);
      });
      if (round % 2 == 0) queue.next();
    }
  });
}

class BatchLoaderErrors : public testing::DataFolderTest {
 protected:
  void SetUp() override {
    DataFolderTest::SetUp();
    data_ = testing::write_test_dataset(folder(), testing::default_spec());
    index_ = std::make_shared<const DataIndex>(DataIndex::open(folder(), "training"));
    config_.dataset = folder();
    config_.input_frames = 16;
    config_.variants = VariantPolicy::all;
  }
  testing::TestDataset data_;
  std::shared_ptr<const DataIndex> index_;
  DataConfig config_;
};

TEST_F(BatchLoaderErrors, APartDamagedAfterOpeningSurfacesAsDataErrorNamingIt) {
  testing::truncate_file(data_.part_files[1]);  // the index read it intact; the loader threads open it afresh
  for (const int64_t threads : {1, 3}) {
    DataConfig config = config_;
    config.loader_threads = threads;
    BatchLoader loader(index_, config, {LoaderMode::evaluation, 4});
    loader.start_epoch(0);
    int64_t delivered = 0;
    try {
      while (loader.next()) ++delivered;
      FAIL() << "no DataError";
    } catch (const DataError& error) {
      EXPECT_NE(std::string(error.what()).find(data_.part_files[1]), std::string::npos) << error.what();
    }
    EXPECT_EQ(delivered, 2) << "examples 0..7 (part 0) come first in evaluation order";
  }
}

TEST_F(BatchLoaderErrors, DestroyingTheLoaderMidEpochDoesNotHang) {
  within_seconds(60, [&] {
    for (int round = 0; round < 20; ++round) {
      DataConfig config = config_;
      config.loader_threads = 1 + round % 4;
      config.prefetch_batches = 1 + round % 3;
      BatchLoader loader(index_, config, {LoaderMode::training, 1});
      loader.start_epoch(round);
      for (int k = 0; k < round % 3; ++k) ASSERT_TRUE(loader.next());
      if (round % 5 == 0) loader.start_epoch(round + 1);  // abandons the epoch in progress
    }
  });
}

}  // namespace
}  // namespace musictag::train
