// One checkpoint file: model weights, optimizer state, RNG state and metadata, written atomically, read in parts.
#pragma once

#include <torch/optim/optimizer.h>

#include <string>

#include "train/checkpoint_metadata.h"
#include "train/models/tagging_model.h"
#include "train/rng_state.h"

namespace musictag::train {

// Layout: a zip written by PyTorch's own container (caffe2::serialize::PyTorchStreamWriter, as torch.save uses),
// with four records under "archive/" that can be read one at a time:
//   meta.json     CheckpointMetadata as JSON (train/checkpoint_metadata.h): progress, resolved config, feature
//                 parameters, tag names, model options, RNG counters
//   model.pt      every parameter and buffer by dotted name ("conv1.weight", "bn1.running_mean", ...) as CPU
//                 tensors, pickled like torch.save: in Python, torch.load(io.BytesIO(zipfile.ZipFile(path)
//                 .read("archive/model.pt")), weights_only=False) is a state_dict for the PyTorch twin (checked
//                 with torch 2.11.0; weights_only=False because libtorch's typed-dict pickle names a jit helper)
//   optimizer.pt  torch::serialize::OutputArchive of optimizer.save() (param groups and per-parameter state)
//   rng.pt        pickled like model.pt: "cpu" (5056 bytes, what torch.get_rng_state() returns) and "cuda.<i>"
// So eval and predict read meta.json and model.pt only, never the optimizer state (twice the model's size).

// Writes the checkpoint to `path` atomically (cluster/files.h). Throws DataError naming the
// file when it cannot be written.
void save_checkpoint(const std::string& path, const TaggingModelImpl& model, const torch::optim::Optimizer& optimizer,
                     const CheckpointInfo& info, const RngState& rng);

// meta.json alone. Throws DataError naming the file when it is missing, truncated, corrupt or of another format.
CheckpointMetadata load_checkpoint_metadata(const std::string& path);

// Copies the saved parameters and buffers into `model` (in place, onto the model's device). The names and shapes
// must match exactly; throws DataError naming the file and the first tensor that does not.
void load_model_weights(const std::string& path, TaggingModelImpl& model);

// Everything, for resuming: weights into `model`, state into `optimizer` (built as for the saved run, over
// model.parameters(), and mapped onto the model's device), and returns the metadata and the RNG state (with
// counters) for restore_rng_state(). Param-group options (lr, betas, ...) come back as saved. DataError as above.
struct LoadedCheckpoint {
  CheckpointMetadata metadata;
  RngState rng;
};
LoadedCheckpoint load_checkpoint(const std::string& path, TaggingModelImpl& model, torch::optim::Optimizer& optimizer);

}  // namespace musictag::train
