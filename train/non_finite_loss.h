// Non-finite training losses: found at a sync point, agreed on by every rank, reported naming the batch's inputs.
#pragma once

#include <string>

#include "cluster/comm/communicator.h"
#include "train/data/batch_loader.h"
#include "train/pending_losses.h"

namespace musictag::train {

// A NaN or infinite loss poisons every rank's parameters at the next all-reduce, so the job must stop. Collective:
// every rank calls it at the same sync point with the readout of the same micro-batches. When no rank has a
// non-finite loss it returns. Otherwise the earliest one wins (the one that poisoned the others: a later NaN on
// another rank only follows from it); its rank describes it and every rank throws the same DataError, so whichever
// rank ends the job first reports the cause. `loader` gives the index and crop length to read the batch's inputs
// again (they are not kept).
void check_losses_finite(const LossReadout& readout, cluster::Communicator& comm, const BatchLoader& loader);

// "rank R/W: training loss is nan at step S (epoch E, batch B)", then the examples whose inputs hold NaN/Inf values
// (read again from the part files: a corrupted part, what to do) or else that the model diverged (what to change).
std::string describe_non_finite_loss(double loss, const LossBatch& batch, const BatchLoader& loader, int rank,
                                     int world_size);

}  // namespace musictag::train
