// Random-number state that a bit-exact resume needs: torch's CPU and CUDA generators and the trainer's counters.
#include "train/rng_state.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <torch/cuda.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

bool same_bits(const at::Tensor& a, const at::Tensor& b) {
  if (a.defined() != b.defined()) return false;
  if (!a.defined()) return true;
  return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() && at::equal(a, b);
}

int64_t cuda_devices() { return at::globalContext().hasCUDA() ? static_cast<int64_t>(torch::cuda::device_count()) : 0; }

at::Tensor state_of(at::Generator generator) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void set_state(at::Generator generator, const at::Tensor& state) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

}  // namespace

bool RngState::operator==(const RngState& other) const {
  if (!same_bits(cpu, other.cpu) || cuda.size() != other.cuda.size() || counters != other.counters) return false;
  for (size_t i = 0; i < cuda.size(); ++i)
    if (!same_bits(cuda[i], other.cuda[i])) return false;
  return true;
}

RngState capture_rng_state(std::map<std::string, int64_t> counters) {
  RngState state;
  state.cpu = state_of(at::detail::getDefaultCPUGenerator());
  const int64_t devices = cuda_devices();
  for (int64_t i = 0; i < devices; ++i)
    state.cuda.push_back(state_of(at::globalContext().defaultGenerator(at::Device(at::kCUDA, i))));
  state.counters = std::move(counters);
  return state;
}

void restore_rng_state(const RngState& state) {
  const at::Tensor expected = state_of(at::detail::getDefaultCPUGenerator());
  if (!state.cpu.defined() || state.cpu.scalar_type() != at::kByte || state.cpu.numel() != expected.numel())
    throw DataError("RNG state: the CPU generator state must be a uint8 tensor of " + std::to_string(expected.numel()) +
                    " bytes, got " +
                    (state.cpu.defined() ? std::to_string(state.cpu.numel()) + " values of " +
                                               std::string(c10::toString(state.cpu.scalar_type()))
                                         : std::string("none")));
  set_state(at::detail::getDefaultCPUGenerator(), state.cpu.contiguous().cpu());
  const int64_t devices = std::min<int64_t>(cuda_devices(), static_cast<int64_t>(state.cuda.size()));
  for (int64_t i = 0; i < devices; ++i)
    set_state(at::globalContext().defaultGenerator(at::Device(at::kCUDA, i)), state.cuda[i].contiguous().cpu());
}

void seed_torch(uint64_t seed) { at::manual_seed(seed); }

void apply_determinism(bool deterministic) {
  auto& context = at::globalContext();
  context.setDeterministicAlgorithms(deterministic, /*warn_only=*/false);
  context.setDeterministicCuDNN(deterministic);
  if (deterministic) context.setBenchmarkCuDNN(false);
}

}  // namespace musictag::train
