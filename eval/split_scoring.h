// Scoring one split of a preprocessed dataset with an InferenceModel on every rank, gathered into Predictions.
#pragma once

#include <memory>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"
#include "eval/eval_config.h"
#include "eval/inference_model.h"
#include "eval/report/predictions.h"
#include "train/data/data_index.h"

namespace musictag::eval {

// The split's m examples of variant 0 (the original audio; augmented variants of an augmented split are left
// out), in index order (parts by index, rows in order: tracks by id), are cut into global batches of
// config.batch_size: batch k holds examples [k*B, (k+1)*B). Rank r of W scores the contiguous run of batches
// [r*K/W, (r+1)*K/W) of the K batches, read ahead by config.loader_threads threads (train's BatchAssembler and
// PrefetchQueue): config.chunks crops of model.input_frames() frames of each stored example (chunk_offsets() of
// train/data/batch_plan.h: the centre crop for 1, as training's validation with train.validation_chunks 1), scored as
// consecutive rows of one batch and their sigmoid probabilities averaged. Because a batch is the same whatever the rank
// count, and each rank writes its probabilities into its rows of an m x n_tags matrix of zeros that one sum all-reduce
// completes (x + 0 is exact), the result is bit-identical for any number of ranks. Rank 0 logs progress of its batches
// every config.progress_seconds.
//
// Returns one row per example with the dataset's labels (segments of a track are separate rows with its id), on
// every rank (collective: every rank calls it).
Predictions score_split(InferenceModel& model, std::shared_ptr<const train::DataIndex> index, const EvalConfig& config,
                        const cluster::World& world, cluster::Communicator& comm);

}  // namespace musictag::eval
