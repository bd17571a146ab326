// Random-number state that a bit-exact resume needs: torch's CPU and CUDA generators and the trainer's counters.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace musictag::train {

// Everything random in training draws from these: dropout and init from torch's default CPU generator (or a
// CUDA device's), and crops / variant choices / the sampler from seeds the trainer derives from its counters.
struct RngState {
  at::Tensor cpu;                           // torch's default CPU generator state, uint8 (get_state())
  std::vector<at::Tensor> cuda;             // one uint8 state per visible CUDA device; empty without CUDA
  std::map<std::string, int64_t> counters;  // the trainer's own counters (anything it derives seeds from)

  bool operator==(const RngState& other) const;  // bitwise
};

// Copies the current state of the default generators (CPU, and every CUDA device when CUDA is available);
// `counters` is stored as given.
RngState capture_rng_state(std::map<std::string, int64_t> counters = {});

// Sets the default generators back to `state`. CUDA states are restored on as many devices as both the state
// and this process have; a state captured with CUDA restored without it (or the reverse) keeps the CPU part.
// Throws DataError when the CPU state is missing or not a uint8 tensor of the size the generator expects.
void restore_rng_state(const RngState& state);

// Seeds torch's default CPU generator and every CUDA device's (at::manual_seed).
void seed_torch(uint64_t seed);

// train.deterministic: at::globalContext().setDeterministicAlgorithms(on, warn_only = false) (ops without a
// deterministic implementation then throw), cuDNN deterministic and benchmark off when on. On CPU, ATen's
// reductions split work by thread count, so a bit-exact resume also needs the same at::get_num_threads() as
// the interrupted run (the trainer logs it); setting it is the trainer's choice, not this function's.
void apply_determinism(bool deterministic);

}  // namespace musictag::train
