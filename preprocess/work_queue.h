// Dynamic work sharing across MPI ranks: rank 0 hands out item indices on request, between items of its own.
#pragma once

#include <cstdint>
#include <optional>

#include "cluster/mpi_check.h"
#include "cluster/world.h"

namespace musictag::preprocess {

// Items 0..n_items-1 (the same n on every rank) go to whichever rank asks first, so a rank stuck with long tracks
// does not hold the job up; which rank computes an item never changes what the item's output is.
//
// Rank 0 coordinates and works too: it answers requests whenever it calls next() or poll(), so call poll()
// between small steps of work (tracks): other ranks wait at most one such step for their next item. Ranks also
// report finished units (tracks) so rank 0 can print progress for the whole job.
//
// Without MPI (a single process) everything is local. A world of several processes without MPI is refused
// (CommError): start with mpirun or srun --mpi=pmix.
class WorkQueue {
 public:
  WorkQueue(const cluster::World& world, int64_t n_items);

  // The next item for this rank, or nullopt when every item has been handed out.
  std::optional<int64_t> next();

  // Records `units` finished by this rank since the last call; sent to rank 0 with the next message (at most
  // about once a second from each rank).
  void report_done(int64_t units);

  // Rank 0: answers pending requests and progress messages without blocking. Other ranks: sends progress that is
  // due. Cheap; call it between units of work.
  void poll();

  // Called by every rank after next() returned nullopt. Rank 0 serves until every rank has been told there is no
  // more work and all their progress has arrived. Ends with a barrier, so after it every item is finished.
  void finish();

  // Rank 0: units finished by all ranks, as far as reported. Other ranks: their own.
  int64_t units_done() const { return units_done_; }

 private:
  void serve(bool block);  // rank 0: handle messages; block = wait for at least one
  void send_progress(bool force);
  int64_t take_local();  // rank 0's own next item, or -1

  const cluster::World& world_;
  cluster::OwnedMpiComm comm_;
  int64_t n_items_;
  int64_t next_item_ = 0;     // rank 0: the next unassigned item
  int ranks_told_done_ = 0;   // rank 0: other ranks that got "no more"
  int64_t units_done_ = 0;    // rank 0: all ranks; others: this rank's
  int64_t units_unsent_ = 0;  // other ranks: finished but not yet reported
  double last_sent_ = 0.0;    // other ranks: MPI_Wtime of the last progress message
};

}  // namespace musictag::preprocess
