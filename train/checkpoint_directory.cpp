// A run's checkpoints/ folder: checkpoint-<step>.pt files, the `latest` pointer, best.pt, keep-last-K.
#include "train/checkpoint_directory.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "cluster/errors.h"
#include "cluster/files.h"

namespace musictag::train {
namespace {

constexpr const char* kPrefix = "checkpoint-";
constexpr const char* kSuffix = ".pt";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Complete checkpoints in `folder` as (step, path), by ascending step; empty when the folder does not exist.
std::vector<std::pair<int64_t, std::string>> scan(const std::string& folder) {
  std::vector<std::pair<int64_t, std::string>> found;
  for (const auto& name : regular_files_in(folder))
    if (const auto step = checkpoint_step_of(name)) found.emplace_back(*step, join_path(folder, name));
  std::sort(found.begin(), found.end());
  return found;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string checkpoint_file_name(int64_t step) { return kPrefix + std::to_string(step) + kSuffix; }

std::optional<int64_t> checkpoint_step_of(const std::string& name) {
  const std::string prefix = kPrefix, suffix = kSuffix;
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      !ends_with(name, suffix))
    return std::nullopt;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(digits);
}

std::optional<std::string> find_latest_checkpoint(const std::string& folder) {
  const auto found = scan(folder);
  if (found.empty()) return std::nullopt;
  const std::string latest_file = join_path(folder, CheckpointDirectory::kLatestFile);
  if (is_regular_file(latest_file)) {
    std::string name;
    try {
      name = trimmed(read_whole_file(latest_file));
    } catch (const DataError&) {  // an unreadable pointer: scanning decides
    }
    const auto step = checkpoint_step_of(name);
    const std::string named = join_path(folder, name);
    if (step && *step >= found.back().first && is_regular_file(named)) return named;
  }
  return found.back().second;
}

CheckpointDirectory::CheckpointDirectory(std::string folder, int64_t keep_last)
    : folder_(std::move(folder)), keep_last_(keep_last) {
  if (keep_last_ < 1) throw std::invalid_argument("CheckpointDirectory: keep_last must be >= 1");
  make_folders(folder_);
  for (const auto& name : regular_files_in(folder_))
    if (ends_with(name, kPartialSuffix)) remove_file(join_path(folder_, name));
}

std::string CheckpointDirectory::best_path() const { return join_path(folder_, kBestFile); }

std::vector<std::string> CheckpointDirectory::checkpoints() const {
  std::vector<std::string> paths;
  for (const auto& [step, path] : scan(folder_)) paths.push_back(path);
  return paths;
}

std::string CheckpointDirectory::save(const TaggingModelImpl& model, const torch::optim::Optimizer& optimizer,
                                      const CheckpointInfo& info, const RngState& rng) {
  const std::string name = checkpoint_file_name(info.progress.step);
  const std::string path = join_path(folder_, name);
  save_checkpoint(path, model, optimizer, info, rng);
  write_file_atomically(join_path(folder_, kLatestFile), name + "\n");

  const auto found = scan(folder_);
  const auto excess = static_cast<int64_t>(found.size()) - keep_last_;
  for (int64_t i = 0; i < excess; ++i)
    if (found[i].second != path) remove_file(found[i].second);  // never the one just written
  return path;
}

void CheckpointDirectory::mark_best(const std::string& checkpoint_path) {
  const std::string staged = best_path() + kPartialSuffix;
  remove_file(staged);
  if (!hard_link(checkpoint_path, staged)) {  // e.g. a file system without hard links: copy, durably
    write_file_atomically(best_path(), read_whole_file(checkpoint_path));
    return;
  }
  rename_file(staged, best_path());
  remove_file(staged);  // still there when best.pt already was this file (rename of a link to itself is a no-op)
  sync_folder(folder_);
}

}  // namespace musictag::train
