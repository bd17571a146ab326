// musictag-train --describe-model: a model's steps with their output shapes and parameters, and the exact total.
#pragma once

#include <string>

#include "train/models/tagging_model.h"

namespace musictag::train {

// Runs one eval-mode forward of a zero input (input_shape(1): [1, n_mels, n_frames] or [1, n_samples]) and lists
// each step forward() reports (TaggingModelImpl::shape_probe): name, output shape, trainable parameters of the child
// modules it names ("conv1+bn1" sums both), then the model's trainable parameter count (parameter_count()).
std::string describe_model(TaggingModelImpl& model, const std::string& description);

}  // namespace musictag::train
