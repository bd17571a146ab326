// Dynamic work sharing across MPI ranks: rank 0 hands out item indices on request, between items of its own.
#include "preprocess/work_queue.h"

#include <fmt/format.h>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

// Message tags. Every message carries one int64: REQUEST and PROGRESS the units finished since the last
// message, ASSIGN the item index or -1 for "no more".
constexpr int kTagRequest = 1;
constexpr int kTagProgress = 2;
constexpr int kTagAssign = 3;
constexpr double kProgressIntervalSeconds = 1.0;

}  // namespace

WorkQueue::WorkQueue(const cluster::World& world, int64_t n_items) : world_(world), n_items_(n_items) {
  if (world.size > 1 && !world.mpi)
    throw CommError(
        fmt::format("{} processes were started without MPI ({}); preprocessing shares work over MPI: "
                    "launch with `srun --mpi=pmix` or `mpirun`",
                    world.size, world.label()));
  if (world.size > 1) comm_ = cluster::OwnedMpiComm::duplicate(MPI_COMM_WORLD);
}

int64_t WorkQueue::take_local() { return next_item_ < n_items_ ? next_item_++ : -1; }

std::optional<int64_t> WorkQueue::next() {
  int64_t item = -1;
  if (world_.size == 1) {
    item = take_local();
  } else if (world_.rank == 0) {
    serve(false);  // others first: they may have been waiting while rank 0 worked
    item = take_local();
  } else {
    int64_t units = units_unsent_;
    MPI_CHECK(MPI_Send(&units, 1, MPI_INT64_T, 0, kTagRequest, comm_.get()));
    units_unsent_ = 0;
    last_sent_ = MPI_Wtime();
    MPI_CHECK(MPI_Recv(&item, 1, MPI_INT64_T, 0, kTagAssign, comm_.get(), MPI_STATUS_IGNORE));
  }
  if (item < 0) return std::nullopt;
  return item;
}

void WorkQueue::report_done(int64_t units) {
  units_done_ += units;
  if (world_.size > 1 && world_.rank != 0) units_unsent_ += units;
}

void WorkQueue::poll() {
  if (world_.size == 1) return;
  if (world_.rank == 0) {
    serve(false);
  } else {
    send_progress(false);
  }
}

void WorkQueue::send_progress(bool force) {
  if (units_unsent_ == 0) return;
  if (!force && MPI_Wtime() - last_sent_ < kProgressIntervalSeconds) return;
  int64_t units = units_unsent_;
  MPI_CHECK(MPI_Send(&units, 1, MPI_INT64_T, 0, kTagProgress, comm_.get()));
  units_unsent_ = 0;
  last_sent_ = MPI_Wtime();
}

void WorkQueue::serve(bool block) {
  for (;;) {
    MPI_Status status;
    int pending = 0;
    if (block) {
      MPI_CHECK(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_.get(), &status));
      pending = 1;
      block = false;  // wait for one message, then drain what else is there
    } else {
      MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_.get(), &pending, &status));
    }
    if (!pending) return;
    int64_t value = 0;
    MPI_CHECK(MPI_Recv(&value, 1, MPI_INT64_T, status.MPI_SOURCE, status.MPI_TAG, comm_.get(), MPI_STATUS_IGNORE));
    units_done_ += value;
    if (status.MPI_TAG == kTagRequest) {
      int64_t item = take_local();
      if (item < 0) ++ranks_told_done_;
      MPI_CHECK(MPI_Send(&item, 1, MPI_INT64_T, status.MPI_SOURCE, kTagAssign, comm_.get()));
    } else if (status.MPI_TAG != kTagProgress) {
      throw CommError(fmt::format("work queue on {}: unexpected message tag {} from rank {}", world_.label(),
                                  status.MPI_TAG, status.MPI_SOURCE));
    }
  }
}

void WorkQueue::finish() {
  if (world_.size == 1) return;
  if (world_.rank == 0) {
    // A rank's progress messages precede its last request, and MPI keeps their order, so once every rank has
    // been told "no more", all progress has arrived.
    while (ranks_told_done_ < world_.size - 1) serve(true);
  }
  MPI_CHECK(MPI_Barrier(comm_.get()));
}

}  // namespace musictag::preprocess
