// DistributedDataParallel: layout check, initial broadcast, accumulator hooks, ordered bucket launches, no_sync.
#include "train/ddp/ddp_data_parallel.h"

#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>

#include <sstream>
#include <unordered_set>
#include <utility>

#include "cluster/errors.h"
#include "train/ddp/ddp_broadcast.h"

namespace musictag::train {
namespace {

// FNV-1a over what must agree between ranks for their collectives to match.
class LayoutHash {
 public:
  void add(int64_t value) {
    for (int byte = 0; byte < 8; ++byte) {
      hash_ ^= static_cast<uint64_t>(value >> (8 * byte)) & 0xffu;
      hash_ *= 0x100000001b3ull;
    }
  }
  void add(const at::Tensor& tensor) {
    add(static_cast<int64_t>(tensor.scalar_type()));
    add(tensor.dim());
    for (const int64_t size : tensor.sizes()) add(size);
    add(tensor.requires_grad() ? 1 : 0);
  }
  int64_t value() const { return static_cast<int64_t>(hash_); }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ull;
};

}  // namespace

NoSyncGuard::NoSyncGuard(DistributedDataParallel& ddp) : ddp_(ddp), previous_(ddp.sync_enabled_) {
  ddp_.sync_enabled_ = false;
}

NoSyncGuard::~NoSyncGuard() { ddp_.sync_enabled_ = previous_; }

DistributedDataParallel::DistributedDataParallel(torch::nn::Module& module, cluster::Communicator& comm,
                                                 DdpOptions options)
    : module_(module), comm_(comm), options_(std::move(options)) {
  options_.validate();
  const std::vector<at::Tensor> all_parameters = module_.parameters(/*recurse=*/true);
  check_same_layout_on_all_ranks(all_parameters);
  std::unordered_set<const c10::TensorImpl*> seen;  // a parameter registered under two names is bucketed once
  for (const at::Tensor& parameter : all_parameters) {
    if (!parameter.requires_grad() || !seen.insert(parameter.unsafeGetTensorImpl()).second) continue;
    if (parameter.device() != comm_.device()) {
      std::ostringstream message;
      message << "DistributedDataParallel: a parameter of shape " << parameter.sizes() << " is on "
              << parameter.device() << " but the " << cluster::to_string(comm_.backend())
              << " communicator reduces tensors on " << comm_.device() << ": move the module first";
      throw CommError(message.str());
    }
    parameters_.push_back(parameter);
  }
  if (!parameters_.empty()) buckets_ = make_gradient_buckets(parameters_, options_.bucket_cap_bytes());
  slots_.resize(parameters_.size());
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    for (std::size_t i = 0; i < buckets_[b].parameters.size(); ++i) slots_[buckets_[b].parameters[i]] = {b, i};
  }
  reset_step();
  broadcast_from_root();
  install_hooks();
}

DistributedDataParallel::~DistributedDataParallel() {
  for (Hook& hook : hooks_) hook.accumulator->del_post_hook(hook.key);
  works_.clear();  // each unfinished PendingWork waits in its destructor
}

void DistributedDataParallel::check_same_layout_on_all_ranks(const std::vector<at::Tensor>& all_parameters) {
  LayoutHash hash;
  hash.add(options_.bucket_cap_bytes());
  hash.add(static_cast<int64_t>(all_parameters.size()));
  for (const at::Tensor& parameter : all_parameters) hash.add(parameter);
  const std::vector<at::Tensor> buffers = module_.buffers(/*recurse=*/true);
  hash.add(static_cast<int64_t>(buffers.size()));
  for (const at::Tensor& buffer : buffers) hash.add(buffer);
  const std::vector<int64_t> hashes = comm_.all_gather(hash.value());
  for (std::size_t rank = 1; rank < hashes.size(); ++rank) {
    if (hashes[rank] != hashes[0]) {
      std::ostringstream message;
      message << "DistributedDataParallel: rank " << rank << " has a different model or bucket_cap_mb than rank 0 "
              << "(parameter/buffer shapes, dtypes or requires_grad differ): build the same model on every rank";
      throw CommError(message.str());
    }
  }
}

void DistributedDataParallel::install_hooks() {
  for (std::size_t p = 0; p < parameters_.size(); ++p) {
    std::shared_ptr<torch::autograd::Node> accumulator = torch::autograd::impl::grad_accumulator(parameters_[p]);
    const uintptr_t key = accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
        [this, p](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
          on_gradient_accumulated(p);
          return outputs;
        }));
    hooks_.push_back({std::move(accumulator), key});
  }
}

void DistributedDataParallel::broadcast_from_root() {
  std::vector<at::Tensor> tensors = module_.parameters(/*recurse=*/true);
  for (const at::Tensor& buffer : module_.buffers(/*recurse=*/true)) tensors.push_back(buffer);
  broadcast_coalesced(tensors, comm_, 0);
}

void DistributedDataParallel::sync_buffers() {
  if (!options_.broadcast_buffers()) return;
  broadcast_coalesced(module_.buffers(/*recurse=*/true), comm_, 0);
}

void DistributedDataParallel::stage_gradient(std::size_t parameter) {
  const Slot& slot = slots_[parameter];
  const at::Tensor& view = buckets_[slot.bucket].views[slot.index];
  at::Tensor& grad = parameters_[parameter].mutable_grad();
  if (grad.defined() && grad.is_same(view)) return;  // AccumulateGrad added into the bucket in place
  at::NoGradGuard no_grad;
  if (grad.defined()) {
    view.copy_(grad);  // .grad was undefined before this backward (AccumulateGrad stole the new gradient)
  } else {
    view.zero_();  // no gradient at all: contribute zeros
  }
  grad = view;
}

void DistributedDataParallel::on_gradient_accumulated(std::size_t parameter) {
  if (!sync_enabled_ && stats_.hooks_fired > 0) {
    // the buckets of the synchronised backward may be in flight: adding into them now would race with MPI/NCCL
    throw CommError(
        "DistributedDataParallel: backward inside no_sync() while the previous synchronised backward's "
        "gradients are still being reduced: call finish_gradient_sync() before entering no_sync()");
  }
  stage_gradient(parameter);
  if (!sync_enabled_) return;
  if (ready_[parameter]) {
    std::ostringstream message;
    message << "DistributedDataParallel: the gradient of parameter " << parameter << " (shape "
            << parameters_[parameter].sizes() << ") arrived twice in one synchronised step: call "
            << "finish_gradient_sync() after every backward, and accumulate several backward calls inside no_sync()";
    throw CommError(message.str());
  }
  ++stats_.hooks_fired;
  mark_ready(parameter, /*during_backward=*/true);
  poll_in_flight();
}

void DistributedDataParallel::mark_ready(std::size_t parameter, bool during_backward) {
  ready_[parameter] = true;
  const std::size_t bucket = slots_[parameter].bucket;
  if (--pending_[bucket] == 0) launch_ready_buckets(during_backward);
}

void DistributedDataParallel::launch_ready_buckets(bool during_backward) {
  while (next_launch_ < buckets_.size() && pending_[next_launch_] == 0) {
    stats_.buckets[next_launch_] = {during_backward, stats_.hooks_fired};
    works_[next_launch_] = comm_.all_reduce_async(buckets_[next_launch_].flat, cluster::ReduceOp::Average);
    ++next_launch_;
  }
}

void DistributedDataParallel::poll_in_flight() {
  for (std::size_t b = 0; b < next_launch_; ++b) {
    if (!completed_[b]) completed_[b] = works_[b]->is_completed();
  }
}

void DistributedDataParallel::finish_gradient_sync() {
  if (!sync_enabled_) return;
  for (std::size_t p = 0; p < parameters_.size(); ++p) {
    if (ready_[p]) continue;
    stage_gradient(p);
    ++stats_.unused_parameters;
    mark_ready(p, /*during_backward=*/false);
  }
  launch_ready_buckets(/*during_backward=*/false);  // (no-op unless there are no parameters at all)
  for (std::size_t b = 0; b < buckets_.size(); ++b) works_[b]->wait();
  last_stats_ = stats_;
  reset_step();
}

void DistributedDataParallel::reset_step() {
  ready_.assign(parameters_.size(), false);
  pending_.clear();
  for (const GradientBucket& bucket : buckets_) pending_.push_back(bucket.parameters.size());
  works_.clear();
  works_.resize(buckets_.size());
  completed_.assign(buckets_.size(), false);
  next_launch_ = 0;
  stats_ = GradientSyncStats();
  stats_.buckets.resize(buckets_.size());
}

}  // namespace musictag::train
