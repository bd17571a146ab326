// WorkQueue under mpiexec (and alone): every item handed out exactly once, rank 0 works too, progress adds up.
#include <gtest/gtest.h>

#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

#include "cluster/mpi_check.h"
#include "preprocess/work_queue.h"

namespace musictag::preprocess {
namespace {

struct Outcome {
  std::vector<int> times_assigned;  // per item, summed over ranks
  int64_t units_on_rank0 = 0;
  int items_on_this_rank = 0;
};

// Every rank takes items until none are left; "working" on item i reports i+1 units. Rank 1 is slow, so the
// dynamic sharing must give most items to the others.
Outcome run_queue(int64_t n_items, int slow_rank_ms) {
  const auto& world = cluster::World::resolve();
  WorkQueue queue(world, n_items);
  std::vector<int> mine(static_cast<size_t>(n_items), 0);
  Outcome outcome;
  while (auto item = queue.next()) {
    ++mine[static_cast<size_t>(*item)];
    ++outcome.items_on_this_rank;
    if (world.rank == 1) std::this_thread::sleep_for(std::chrono::milliseconds(slow_rank_ms));
    queue.report_done(*item + 1);
    queue.poll();
  }
  queue.finish();
  outcome.times_assigned = mine;
  if (world.size > 1) {
    MPI_CHECK(MPI_Allreduce(mine.data(), outcome.times_assigned.data(), static_cast<int>(n_items), MPI_INT, MPI_SUM,
                            MPI_COMM_WORLD));
  }
  outcome.units_on_rank0 = queue.units_done();
  return outcome;
}

TEST(WorkQueue, EveryItemIsHandedOutExactlyOnce) {
  const auto outcome = run_queue(60, 20);
  for (size_t i = 0; i < outcome.times_assigned.size(); ++i) EXPECT_EQ(outcome.times_assigned[i], 1) << "item " << i;
}

TEST(WorkQueue, RankZeroCountsEveryRanksUnits) {
  const int64_t n = 40;
  const auto outcome = run_queue(n, 5);
  if (cluster::World::resolve().rank == 0) EXPECT_EQ(outcome.units_on_rank0, n * (n + 1) / 2);
}

TEST(WorkQueue, SlowRankGetsFewerItemsAndRankZeroWorks) {
  const auto& world = cluster::World::resolve();
  const auto outcome = run_queue(60, 30);
  if (world.size < 2) GTEST_SKIP() << "needs several ranks";
  // Rank 1 sleeps 30 ms an item, the others do not: rank 0 takes more than an even share, rank 1 under half of one.
  const int even_share = 60 / world.size;
  if (world.rank == 0) EXPECT_GT(outcome.items_on_this_rank, even_share);
  if (world.rank == 1) EXPECT_LT(outcome.items_on_this_rank, even_share / 2);
}

TEST(WorkQueue, FewerItemsThanRanksAndNoItems) {
  for (int64_t n : {0, 1}) {
    const auto outcome = run_queue(n, 0);
    for (int times : outcome.times_assigned) EXPECT_EQ(times, 1);
  }
}

}  // namespace
}  // namespace musictag::preprocess
