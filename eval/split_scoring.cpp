// score_split: global batches of original examples, a contiguous run of them per rank, zero matrix + sum all-reduce.
#include "eval/split_scoring.h"

#include <algorithm>

#include "cluster/log.h"
#include "cluster/progress_meter.h"
#include "train/data/batch_assembler.h"
#include "train/data/batch_plan.h"
#include "train/data/prefetch_queue.h"

namespace musictag::eval {
namespace {

constexpr int64_t kPrefetchBatches = 4;
constexpr int64_t kMaxOpenParts = 64;

// Example indices of variant 0, ascending.
std::vector<int64_t> original_examples(const train::DataIndex& index) {
  std::vector<int64_t> examples;
  for (int64_t i = 0; i < index.size(); ++i)
    if (index.example(i).variant == 0) examples.push_back(i);
  return examples;
}

}  // namespace

Predictions score_split(InferenceModel& model, std::shared_ptr<const train::DataIndex> index, const EvalConfig& config,
                        const cluster::World& world, cluster::Communicator& comm) {
  const std::vector<int64_t> examples = original_examples(*index);
  const auto m = static_cast<int64_t>(examples.size());
  const int64_t n_tags = index->n_tags(), batch = config.batch_size;
  const int64_t batches = (m + batch - 1) / batch;
  const int64_t first = world.rank * batches / world.size, end = (world.rank + 1) * batches / world.size;
  const std::vector<int64_t> chunks = train::chunk_offsets(index->columns(), model.input_frames(), config.chunks);
  const auto n_chunks = static_cast<int64_t>(chunks.size());

  std::vector<std::unique_ptr<train::BatchAssembler>> assemblers;
  for (int64_t t = 0; t < config.loader_threads; ++t)
    assemblers.push_back(std::make_unique<train::BatchAssembler>(*index, model.input_frames(), kMaxOpenParts,
                                                                 /*pin_memory=*/false));
  const auto rows_of = [&](int64_t b) { return std::pair<int64_t, int64_t>{b * batch, std::min(m, (b + 1) * batch)}; };
  train::PrefetchQueue queue(static_cast<int>(config.loader_threads), kPrefetchBatches, first, end,
                             [&](int thread, int64_t b) {
                               const auto [row, row_end] = rows_of(b);
                               std::vector<int64_t> ids, offsets;  // each example as n_chunks consecutive rows
                               for (int64_t r = row; r < row_end; ++r) {
                                 ids.insert(ids.end(), chunks.size(), examples[static_cast<size_t>(r)]);
                                 offsets.insert(offsets.end(), chunks.begin(), chunks.end());
                               }
                               train::Batch built = assemblers[static_cast<size_t>(thread)]->assemble(ids, offsets);
                               built.index = b;
                               return built;
                             });

  at::Tensor scores = at::zeros({m, n_tags}, at::kFloat);
  const int64_t mine = first < end ? rows_of(end - 1).second - rows_of(first).first : 0;
  // Rank 0 reports its own share; the others score theirs at the same pace.
  if (world.rank == 0 && world.size > 1)
    log::info("each of {} ranks scores its share of the {} examples; progress below is rank 0's {}", world.size, m,
              mine);
  cluster::ProgressMeter progress("examples", mine, config.progress_seconds);
  int64_t done = 0;
  while (auto next = queue.next()) {
    const auto [row, row_end] = rows_of(next->index);
    const at::Tensor chunk_scores = model.probabilities(next->input);
    scores.narrow(0, row, row_end - row).copy_(chunk_scores.view({row_end - row, n_chunks, n_tags}).mean(1));
    done += row_end - row;
    if (world.rank == 0) progress.update(done);
  }
  if (world.rank == 0) progress.finish(done);
  comm.all_reduce(scores, cluster::ReduceOp::Sum);

  Predictions p;
  p.tag_names = index->tag_names();
  p.split = index->split();
  const float* all = scores.data_ptr<float>();
  p.scores.assign(all, all + m * n_tags);
  for (const int64_t i : examples) {
    p.track_ids.push_back(index->example(i).track_id);
    p.labels.insert(p.labels.end(), index->tags_of(i), index->tags_of(i) + n_tags);
  }
  return p;
}

}  // namespace musictag::eval
