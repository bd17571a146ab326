// Compares a C++ model with its PyTorch twin's fixture case: state names, logits, loss, gradients, running stats.
#pragma once

#include <string>

#include "tensor_fixture.h"
#include "train/models/tagging_model.h"

namespace musictag::test {

// Python and C++ run the same ATen kernels single-threaded, so differences are a few float32 ulps; 1e-5 abs +
// 1e-5 rel leaves room for another summation order (e.g. other thread counts).
inline constexpr double kTwinAbs = 1e-5, kTwinRel = 1e-5;

// Checks that `model` registers the case's parameters and buffers in the same order, loads the case's state
// (state/<key>) into it, then compares eval-mode and train-mode logits, the BCE loss against `targets`, every
// gradient (grad/<name>) and every buffer after the train-mode forward (after/<key>) within the tolerance, as gtest
// failures naming the tensor; prints the largest differences under `label`. Run single-threaded.
void expect_matches_twin(train::TaggingModelImpl& model, const TensorCase& c, const std::string& label);

}  // namespace musictag::test
