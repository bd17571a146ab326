// Validation during training: every rank scores its block of the validation split; loss and macro ROC-AUC over all.
#include "train/validation.h"

#include <torch/nn/functional/loss.h>

#include <vector>

#include "eval/metrics/metrics.h"

namespace musictag::train {

ValidationScores validate(TaggingModel& model, BatchLoader& loader, cluster::Communicator& comm, c10::Device device) {
  const DataIndex& index = loader.index();
  const int64_t n = index.size(), n_tags = index.n_tags(), chunks = loader.chunks();
  if (n == 0) return {};
  torch::NoGradGuard no_grad;
  model->eval();
  at::Tensor scores = at::zeros({n, n_tags}, at::kFloat);
  at::Tensor losses = at::zeros({n}, at::kDouble);
  loader.start_epoch(0);
  while (auto batch = loader.next()) {
    const int64_t examples = batch->size() / chunks;
    const at::Tensor logits = model->forward(batch->input.to(device)).to(torch::kCPU, torch::kFloat);
    namespace F = torch::nn::functional;
    const at::Tensor chunk_losses = F::binary_cross_entropy_with_logits(
        logits, batch->tags, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
    const at::Tensor example_losses = chunk_losses.view({examples, chunks * n_tags}).mean(1).to(at::kDouble);
    const at::Tensor probabilities = torch::sigmoid(logits).view({examples, chunks, n_tags}).mean(1);
    for (int64_t b = 0; b < examples; ++b) {
      const int64_t example = batch->examples[static_cast<size_t>(b * chunks)];
      scores[example] = probabilities[b];
      losses[example] = example_losses[b];
    }
  }
  comm.all_reduce(scores, cluster::ReduceOp::Sum);
  comm.all_reduce(losses, cluster::ReduceOp::Sum);
  model->train();
  std::vector<uint8_t> labels(static_cast<size_t>(n * n_tags));
  for (int64_t i = 0; i < n; ++i) std::copy_n(index.tags_of(i), n_tags, labels.begin() + i * n_tags);
  ValidationScores result;
  result.loss = losses.mean().item<double>();
  eval::MetricsOptions options;
  options.warn_undefined = false;
  options.micro = false;
  result.macro_roc_auc = eval::compute_metrics(scores.contiguous().data_ptr<float>(), labels.data(),
                                               static_cast<size_t>(n), static_cast<size_t>(n_tags), options)
                             .macro_roc_auc;
  return result;
}

bool improves(const ValidationScores& scores, BestBy best_by, const std::optional<double>& best_auc,
              const std::optional<double>& best_loss) {
  if (best_by == BestBy::loss) return std::isfinite(scores.loss) && (!best_loss || scores.loss < *best_loss);
  return std::isfinite(scores.macro_roc_auc) && (!best_auc || scores.macro_roc_auc > *best_auc);
}

}  // namespace musictag::train
