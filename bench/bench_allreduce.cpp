// Benchmark: the full CRNN gradient all-reduced through DDP's buckets, as a ratio to one MPI_Allreduce of its size.
// Run under `mpiexec -n 2 bench_allreduce [reps] [step_reps]`. Columns: DDP's finish_gradient_sync() (no backward,
// so only bucketing + communication), one blocking MPI_Allreduce of a buffer of the same size, and one
// Communicator::all_reduce of one tensor of that size (MPI_Iallreduce + MPI_Wait, as the buckets use). Also times a
// training step (backward + gradient sync with overlapping buckets) against backward followed by one all-reduce of one
// flat buffer.
#include <ATen/Parallel.h>
#include <torch/nn/functional/loss.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cluster/comm/communicator.h"
#include "cluster/config_file.h"
#include "cluster/fatal.h"
#include "cluster/mpi_check.h"
#include "cluster/world.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/models/model_config.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// One MPI_Allreduce of the whole flat gradient, then the division by the ranks (what ReduceOp::Average adds).
void baseline_all_reduce(std::vector<float>& flat, int ranks) {
  MPI_CHECK(
      MPI_Allreduce(MPI_IN_PLACE, flat.data(), static_cast<int>(flat.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD));
  const float scale = 1.0f / static_cast<float>(ranks);
  for (float& value : flat) value *= scale;
}

}  // namespace

int main(int argc, char** argv) {
  return musictag::cluster::run_guarded([&] {
    using namespace musictag;
    const cluster::World& world = cluster::World::resolve();
    at::set_num_threads(1);
    auto comm = cluster::make_communicator(world, cluster::Backend::Mpi);
    const int reps = argc > 1 ? std::atoi(argv[1]) : 200;
    const int step_reps = argc > 2 ? std::atoi(argv[2]) : 5;
    const bool root = comm->rank() == 0;

    torch::manual_seed(1);
    // Paper-size CRNN (50 tags, 394,290 parameters); a short input keeps the step timing affordable on CPU.
    auto config_file = cluster::ConfigFile::from_string("model: {n_tags: 50, n_frames: 192}\n", "bench_allreduce");
    const auto model_config = train::ModelConfig::from(config_file.section("model"));
    train::TaggingModel model = model_config.build();
    const int64_t numel = model->parameter_count();
    std::vector<float> flat(static_cast<std::size_t>(numel), 1.0f);
    if (root) {
      std::printf("ranks %d, gradient %lld floats (%.2f MB), %d reps, median per all-reduce\n", comm->size(),
                  static_cast<long long>(numel), numel * 4.0 / (1 << 20), reps);
      std::printf("%-8s %8s %12s %14s %8s %16s %8s\n", "cap_mb", "buckets", "buckets_us", "mpi_1buf_us", "ratio",
                  "comm_1tensor_us", "ratio");
    }
    for (const double cap : {25.0, 1.0, 0.25}) {
      train::DistributedDataParallel ddp(*model, *comm, train::DdpOptions().bucket_cap_mb(cap));
      ddp.finish_gradient_sync();  // first sync: every .grad becomes its bucket view
      for (const auto& p : model->parameters()) p.mutable_grad().normal_();
      const at::Tensor one_tensor = at::randn({numel});
      std::vector<double> bucketed, baseline, communicator;
      for (int r = 0; r < reps; ++r) {  // interleaved, so both see the same machine load
        comm->barrier();
        auto start = Clock::now();
        ddp.finish_gradient_sync();  // no backward: all parameters are contributed by finish, buckets in order
        bucketed.push_back(seconds_since(start));
        comm->barrier();
        start = Clock::now();
        baseline_all_reduce(flat, comm->size());
        baseline.push_back(seconds_since(start));
        comm->barrier();
        start = Clock::now();
        comm->all_reduce(one_tensor, cluster::ReduceOp::Average);  // the Communicator's path, unbucketed
        communicator.push_back(seconds_since(start));
      }
      const double b = median(bucketed), m = median(baseline), c = median(communicator);
      if (root) {
        std::printf("%-8.2f %8zu %12.1f %14.1f %8.3f %16.1f %8.3f\n", cap, ddp.buckets().size(), b * 1e6, m * 1e6,
                    b / m, c * 1e6, b / c);
      }
    }

    // Training step: backward with buckets overlapping it, vs backward then one all-reduce of one flat buffer.
    const at::Tensor x = at::randn({2, 96, 192});
    const at::Tensor y = at::bernoulli(at::full({2, 50}, 0.3));
    auto loss = [&] { return torch::nn::functional::binary_cross_entropy_with_logits(model->forward(x), y); };
    if (root) std::printf("\nstep (forward + backward + sync), batch 2 x 96 x 192, median of %d\n", step_reps);
    for (const double cap : {25.0, 0.25}) {
      std::vector<double> with_ddp, plain;
      {
        train::DistributedDataParallel ddp(*model, *comm, train::DdpOptions().bucket_cap_mb(cap));
        for (int r = 0; r < step_reps; ++r) {
          comm->barrier();
          const auto start = Clock::now();
          loss().backward();
          ddp.finish_gradient_sync();
          with_ddp.push_back(seconds_since(start));
        }
      }
      for (int r = 0; r < step_reps; ++r) {
        comm->barrier();
        const auto start = Clock::now();
        for (auto& p : model->parameters()) p.mutable_grad().reset();
        loss().backward();
        int64_t offset = 0;
        for (const auto& p : model->parameters()) {  // gather into one buffer, reduce, scatter back
          std::copy_n(p.grad().contiguous().data_ptr<float>(), p.numel(), flat.begin() + offset);
          offset += p.numel();
        }
        baseline_all_reduce(flat, comm->size());
        offset = 0;
        for (const auto& p : model->parameters()) {
          std::copy_n(flat.begin() + offset, p.numel(), p.grad().data_ptr<float>());
          offset += p.numel();
        }
        plain.push_back(seconds_since(start));
      }
      if (root) {
        std::printf("cap %-6.2f ddp %8.1f ms, backward + one MPI_Allreduce %8.1f ms, ratio %.3f\n", cap,
                    median(with_ddp) * 1e3, median(plain) * 1e3, median(with_ddp) / median(plain));
      }
    }
    return 0;
  });
}
