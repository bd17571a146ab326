// Non-finite training losses: the earliest one over all ranks, described by re-reading its batch's inputs.
#include "train/non_finite_loss.h"

#include <fmt/format.h>

#include <cmath>

#include "cluster/errors.h"
#include "train/data/batch_assembler.h"

namespace musictag::train {
namespace {

// The examples of `batch` whose crop holds a NaN or infinite value: "part row r (track t), ..." (at most 4 named).
std::string non_finite_inputs(const LossBatch& batch, const BatchLoader& loader) {
  const DataIndex& index = loader.index();
  BatchAssembler assembler(index, loader.input_frames(), /*max_open_parts=*/1, /*pin_memory=*/false);
  const at::Tensor mel = assembler.assemble(batch.examples, batch.crop_offsets).input;
  const at::Tensor finite_rows = mel.isfinite().flatten(1).all(1).contiguous();
  const bool* finite = finite_rows.data_ptr<bool>();
  std::string bad;
  int64_t n_bad = 0;
  for (size_t b = 0; b < batch.examples.size(); ++b) {
    if (finite[b]) continue;
    if (++n_bad > 4) continue;
    const ExampleRef& ref = index.example(batch.examples[b]);
    bad += fmt::format("{}{} row {} (track {})", n_bad > 1 ? ", " : "",
                       index.part_paths()[static_cast<size_t>(ref.part)], ref.row, ref.track_id);
  }
  if (n_bad > 4) bad += fmt::format(" and {} more", n_bad - 4);
  return bad;
}

}  // namespace

std::string describe_non_finite_loss(double loss, const LossBatch& batch, const BatchLoader& loader, int rank,
                                     int world_size) {
  const std::string where =
      fmt::format("rank {}/{}: training loss is {} at step {} (epoch {}, batch {})", rank, world_size,
                  std::isnan(loss) ? "nan" : (loss > 0 ? "inf" : "-inf"), batch.step, batch.epoch, batch.batch);
  std::string bad;
  try {
    bad = non_finite_inputs(batch, loader);
  } catch (const std::exception& error) {
    return fmt::format("{}; its inputs could not be read again to check them: {}", where, error.what());
  }
  if (!bad.empty())
    return fmt::format(
        "{}: NaN/Inf input values in {}. The part file is corrupted: run musictag-train with "
        "train.verify_checksums=true to check every part, and preprocess it again",
        where, bad);
  return fmt::format(
      "{}: the inputs are finite, so training diverged; lower train.learning_rate, add warm-up "
      "(train.warmup_steps) or set train.grad_clip_norm",
      where);
}

void check_losses_finite(const LossReadout& readout, cluster::Communicator& comm, const BatchLoader& loader) {
  const std::optional<size_t> mine = readout.first_non_finite();
  // Every rank read the same micro-batches in the same order, so positions compare across ranks.
  const std::vector<int64_t> firsts = comm.all_gather(mine ? static_cast<int64_t>(*mine) : int64_t{-1});
  int64_t earliest = -1;
  for (const int64_t first : firsts)
    if (first >= 0 && (earliest < 0 || first < earliest)) earliest = first;
  if (earliest < 0) return;
  std::string description;
  if (mine && static_cast<int64_t>(*mine) == earliest)
    description =
        describe_non_finite_loss(readout.losses[*mine], readout.batches[*mine], loader, comm.rank(), comm.size());
  std::string message;
  for (const std::string& part : comm.all_gather(description))
    if (!part.empty()) message += (message.empty() ? "" : "; ") + part;
  throw DataError(message);
}

}  // namespace musictag::train
