// DistributedDataParallel: same start on every rank, bucketed gradient all-reduce overlapping backward, no_sync().
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "cluster/comm/communicator.h"
#include "train/ddp/ddp_options.h"
#include "train/ddp/gradient_bucket.h"

namespace torch::autograd {
struct Node;
}

namespace musictag::train {

// How one bucket's all-reduce was started in the last synchronised step (instrumentation for tests and logs).
struct BucketLaunch {
  bool during_backward = false;  // started from a gradient hook, i.e. while backward was still running
  int64_t hooks_before = 0;      // gradient hooks that had fired in that step when it started
};

// The last finished synchronised step, as finish_gradient_sync() left it.
struct GradientSyncStats {
  std::vector<BucketLaunch> buckets;  // by bucket index, which is also the order they were started in
  int64_t hooks_fired = 0;            // parameters whose gradient arrived during backward
  int64_t unused_parameters = 0;      // parameters with no gradient in that backward (filled by finish)
};

class DistributedDataParallel;

// RAII scope of gradient accumulation without communication (see DistributedDataParallel::no_sync()).
class NoSyncGuard {
 public:
  explicit NoSyncGuard(DistributedDataParallel& ddp);
  ~NoSyncGuard();
  NoSyncGuard(const NoSyncGuard&) = delete;
  NoSyncGuard& operator=(const NoSyncGuard&) = delete;

 private:
  DistributedDataParallel& ddp_;
  bool previous_;
};

// Data parallelism over the ranks of a Communicator, explicit rather than a module wrapper. Per step:
//
//   ddp.sync_buffers();                 // BatchNorm statistics from rank 0 (broadcast_buffers)
//   loss = criterion(model->forward(x_rank), y_rank); loss.backward();
//   ddp.finish_gradient_sync();         // every .grad now holds the average over the ranks
//   optimizer.step(); optimizer.zero_grad();
//
// Gradient buckets (gradient_bucket.h) are formed from the trainable parameters in reverse registration order.
// Each parameter's .grad is a view into its bucket's flat buffer, so no copy is needed before or after the
// all-reduce. A post-hook on each parameter's gradient accumulator (the AccumulateGrad node, as PyTorch's DDP
// Reducer does) fires once the gradient of this backward has been added into .grad; that is when it is final:
// autograd sums every use of a parameter in the graph before AccumulateGrad runs, so even a parameter used
// several times fires once per backward. When the last parameter of a bucket has fired, the bucket's
// all_reduce_async(Average) starts at once, overlapping the rest of backward, and strictly in bucket order:
// bucket k starts only after buckets 0..k-1 (collectives must start in the same order on every rank).
// Hooks also poll in-flight work (is_completed()), which is what makes MPI progress on CPU.
//
// Assumptions, checked: one backward per synchronised step. A gradient arriving twice before
// finish_gradient_sync() (two backward calls, or a forgotten finish) throws CommError; accumulate over several
// backward calls inside no_sync() instead (a no_sync() backward before the pending finish also throws: its buckets
// may be in flight). A parameter registered under several names is bucketed once. Parameters without a gradient in a
// step (unused in that forward, or used on another rank only) never deadlock: finish_gradient_sync() contributes their
// local .grad (zero when none) and starts the remaining buckets in order. Gradients as bucket views:
// optimizer.zero_grad() (either form) keeps working; a .grad replaced by the user is copied into the bucket at the next
// hook or finish. Construct after moving the module to its device; the module must outlive this object; not copyable or
// movable (hooks hold `this`).
class DistributedDataParallel {
 public:
  // Checks the options, checks that every rank has the same parameter and buffer layout (CommError otherwise),
  // builds the buckets, installs the hooks and calls broadcast_from_root(). A collective: all ranks call it.
  DistributedDataParallel(torch::nn::Module& module, cluster::Communicator& comm, DdpOptions options = DdpOptions());
  ~DistributedDataParallel();  // removes the hooks; unfinished all-reduces are waited for
  DistributedDataParallel(const DistributedDataParallel&) = delete;
  DistributedDataParallel& operator=(const DistributedDataParallel&) = delete;

  // Every parameter (trainable or not) and buffer becomes rank 0's, bitwise. Collective.
  void broadcast_from_root();
  // With broadcast_buffers: every buffer becomes rank 0's (one broadcast per dtype). Collective. Otherwise no-op.
  void sync_buffers();
  // After backward: contributes unused parameters, starts the remaining buckets, waits for all of them; then every
  // trainable parameter's .grad is the average over the ranks of their local (accumulated) gradients. Collective.
  // Inside no_sync() it does nothing (gradients stay local).
  void finish_gradient_sync();

  // While the returned guard lives, backward only accumulates into .grad locally (no communication, no
  // once-per-step check); the first synchronised backward after it reduces the accumulated sum. Nests.
  [[nodiscard]] NoSyncGuard no_sync() { return NoSyncGuard(*this); }
  bool sync_enabled() const { return sync_enabled_; }

  const std::vector<GradientBucket>& buckets() const { return buckets_; }
  // Trainable parameters in registration order; buckets' indices refer to this list.
  const std::vector<at::Tensor>& parameters() const { return parameters_; }
  const GradientSyncStats& last_sync_stats() const { return last_stats_; }
  const DdpOptions& options() const { return options_; }

 private:
  friend class NoSyncGuard;
  struct Slot {
    std::size_t bucket = 0;
    std::size_t index = 0;  // position inside the bucket
  };
  struct Hook {
    std::shared_ptr<torch::autograd::Node> accumulator;  // kept alive: the parameter holds it only weakly
    uintptr_t key = 0;
  };

  void check_same_layout_on_all_ranks(const std::vector<at::Tensor>& all_parameters);
  void install_hooks();
  void on_gradient_accumulated(std::size_t parameter);
  // Makes the parameter's .grad its bucket view holding its local gradient (copied in, or zeros if none).
  void stage_gradient(std::size_t parameter);
  void mark_ready(std::size_t parameter, bool during_backward);
  void launch_ready_buckets(bool during_backward);
  void poll_in_flight();
  void reset_step();

  torch::nn::Module& module_;
  cluster::Communicator& comm_;
  DdpOptions options_;
  std::vector<at::Tensor> parameters_;
  std::vector<GradientBucket> buckets_;
  std::vector<Slot> slots_;  // by parameter
  std::vector<Hook> hooks_;
  bool sync_enabled_ = true;

  // State of the step in progress.
  std::vector<bool> ready_;                                   // by parameter
  std::vector<std::size_t> pending_;                          // by bucket: parameters not ready yet
  std::vector<std::unique_ptr<cluster::PendingWork>> works_;  // by bucket
  std::vector<bool> completed_;                               // by bucket: is_completed() has said so
  std::size_t next_launch_ = 0;
  GradientSyncStats stats_;
  GradientSyncStats last_stats_;
};

}  // namespace musictag::train
