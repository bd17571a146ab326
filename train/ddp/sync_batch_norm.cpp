// SyncBatchNorm as a custom autograd function over a Communicator (see sync_batch_norm.h for the maths' contract).
#include "train/ddp/sync_batch_norm.h"

#include <torch/autograd.h>

#include <cstdint>
#include <vector>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Every dimension but the channels' (dim 1): the ones BatchNorm averages over.
std::vector<int64_t> reduced_dims(const torch::Tensor& input) {
  std::vector<int64_t> dims{0};
  for (int64_t d = 2; d < input.dim(); ++d) dims.push_back(d);
  return dims;
}

// A per-channel vector [C] shaped [1, C, 1, ...] to broadcast against `input`.
torch::Tensor per_channel(const torch::Tensor& values, const torch::Tensor& input) {
  std::vector<int64_t> shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = values.size(0);
  return values.view(shape);
}

cluster::Communicator& communicator_of(AutogradContext* ctx) {
  return *reinterpret_cast<cluster::Communicator*>(static_cast<intptr_t>(ctx->saved_data["comm"].toInt()));
}

struct SyncBatchNormFunction : public torch::autograd::Function<SyncBatchNormFunction> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor input, torch::Tensor weight, torch::Tensor bias,
                               torch::Tensor running_mean, torch::Tensor running_var, torch::Tensor num_batches_tracked,
                               double eps, double momentum, int64_t comm_address) {
    auto& comm = *reinterpret_cast<cluster::Communicator*>(static_cast<intptr_t>(comm_address));
    const auto dims = reduced_dims(input);
    const int64_t channels = input.size(1);
    // Per-channel sums in float64 (exact beyond 2^24 values). The values per channel over all ranks come from a host
    // all-gather (ranks' batches may differ in size): reading a count back from the device would stall a GPU step.
    double count = 0.0;
    for (const int64_t rank_count : comm.all_gather(input.numel() / channels)) count += static_cast<double>(rank_count);
    torch::Tensor sums = input.sum(dims, /*keepdim=*/false, torch::kDouble);
    comm.all_reduce(sums, cluster::ReduceOp::Sum);
    const torch::Tensor mean = (sums / count).to(input.scalar_type());
    const torch::Tensor centred = input - per_channel(mean, input);
    torch::Tensor squares = centred.pow(2).sum(dims);
    comm.all_reduce(squares, cluster::ReduceOp::Sum);
    const torch::Tensor variance = squares / count;
    const torch::Tensor invstd = (variance + eps).rsqrt();

    {
      torch::NoGradGuard no_grad;
      running_mean.mul_(1.0 - momentum).add_(mean, momentum);
      running_var.mul_(1.0 - momentum).add_(variance * (count / std::max(1.0, count - 1.0)), momentum);
      num_batches_tracked.add_(1);
    }
    ctx->save_for_backward({centred, weight, invstd});
    ctx->saved_data["count"] = count;
    ctx->saved_data["comm"] = comm_address;
    return centred * per_channel(invstd * weight, input) + per_channel(bias, input);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& centred = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor& invstd = saved[2];
    const double count = ctx->saved_data["count"].toDouble();
    const torch::Tensor grad_output = grad_outputs[0];
    const auto dims = reduced_dims(centred);
    const int64_t channels = centred.size(1);

    const torch::Tensor normalised = centred * per_channel(invstd, centred);
    const torch::Tensor sum_dy = grad_output.sum(dims);
    const torch::Tensor sum_dy_normalised = (grad_output * normalised).sum(dims);
    torch::Tensor global = torch::cat({sum_dy, sum_dy_normalised});
    communicator_of(ctx).all_reduce(global, cluster::ReduceOp::Sum);
    const torch::Tensor mean_dy = global.slice(0, 0, channels) / count;
    const torch::Tensor mean_dy_normalised = global.slice(0, channels, 2 * channels) / count;
    const torch::Tensor grad_input =
        per_channel(weight * invstd, centred) *
        (grad_output - per_channel(mean_dy, centred) - normalised * per_channel(mean_dy_normalised, centred));
    // One gradient per forward argument; none for the buffers, eps, momentum and the communicator.
    return {grad_input, sum_dy_normalised, sum_dy, {}, {}, {}, {}, {}, {}};
  }
};

}  // namespace

torch::Tensor sync_batch_norm(const torch::Tensor& input, const BatchNormState& state, cluster::Communicator& comm) {
  if (!state.weight.defined() || !state.bias.defined())
    throw ConfigError(
        "train.sync_batchnorm: BatchNorm layers without weight and bias (affine false) are not "
        "supported; the CRNN's are affine");
  return SyncBatchNormFunction::apply(input, state.weight, state.bias, state.running_mean, state.running_var,
                                      state.num_batches_tracked, state.eps, state.momentum,
                                      static_cast<int64_t>(reinterpret_cast<intptr_t>(&comm)));
}

void enable_sync_batch_norm(TaggingModelImpl& model, cluster::Communicator& comm) {
  model.batch_norm_override = [&comm](const torch::Tensor& input, const BatchNormState& state) {
    return sync_batch_norm(input, state, comm);
  };
}

}  // namespace musictag::train
