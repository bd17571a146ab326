// A run's checkpoints/ folder: checkpoint-<step>.pt files, the `latest` pointer, best.pt, keep-last-K.
#pragma once

#include <torch/optim/optimizer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "train/checkpoint.h"

namespace musictag::train {

// "checkpoint-<step>.pt" (step in decimal, no padding).
std::string checkpoint_file_name(int64_t step);
// The step in a complete checkpoint's file name, or nothing for any other name (".partial", best.pt, latest).
std::optional<int64_t> checkpoint_step_of(const std::string& file_name);

// The newest complete checkpoint in `folder` for `--resume auto`: the file named by `<folder>/latest` when it
// exists and no complete checkpoint has a higher step; otherwise (latest missing, stale after a crash between
// the rename and its update, or naming a deleted file) the highest-step checkpoint-<step>.pt found by scanning.
// `.partial` files are never complete. Nothing when there is none (or no folder): start from scratch.
std::optional<std::string> find_latest_checkpoint(const std::string& folder);

// Writes and prunes the checkpoints of one run. Only one process (rank 0) may use a folder at a time.
class CheckpointDirectory {
 public:
  static constexpr const char* kLatestFile = "latest";
  static constexpr const char* kBestFile = "best.pt";

  // Creates `folder` if needed and deletes `.partial` files an interrupted write left. keep_last >= 1 (DataError
  // for a folder that cannot be made; std::invalid_argument for keep_last < 1).
  CheckpointDirectory(std::string folder, int64_t keep_last);

  // Writes checkpoint-<info.progress.step>.pt atomically, then `latest` (atomically, the bare file name), then
  // deletes the oldest complete checkpoints beyond keep_last. best.pt is never deleted. Returns the path.
  std::string save(const TaggingModelImpl& model, const torch::optim::Optimizer& optimizer, const CheckpointInfo& info,
                   const RngState& rng);

  // Makes best.pt the same content as `checkpoint_path` (a hard link, or a copy where links are not possible),
  // replacing the previous best atomically. Later pruning of checkpoint_path leaves best.pt intact.
  void mark_best(const std::string& checkpoint_path);

  // Complete checkpoints, by ascending step.
  std::vector<std::string> checkpoints() const;

  const std::string& folder() const { return folder_; }
  std::string best_path() const;

 private:
  std::string folder_;
  int64_t keep_last_;
};

}  // namespace musictag::train
