// DatasetConfig: reads and validates section `dataset`; per-kind default folders.
#include "preprocess/sources/dataset_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace musictag::preprocess {

DatasetConfig DatasetConfig::from(cluster::ConfigSection& s) {
  DatasetConfig c;
  c.kind =
      s.choice("kind", c.kind, kDatasetKindNames, "Dataset format: fma (Free Music Archive) or mtat (MagnaTagATune)");
  c.root = s.text("root", c.root,
                  "Dataset folder. fma: holds fma_metadata/ and the audio folder; mtat: holds "
                  "annotations_final.csv and the mp3 folders 0..f");
  c.metadata_dir = s.text("metadata_dir", c.metadata_dir,
                          "Folder with the metadata; \"\" = <root>/fma_metadata (fma) or <root> (mtat)");
  c.audio_dir = s.text("audio_dir", c.audio_dir,
                       "Folder with the audio (FMA: NNN/NNNNNN.mp3 below it, e.g. fma_medium/); \"\" = <root>/audio "
                       "(fma) or <root> (mtat)");
  c.subset = s.choice("subset", c.subset, {"small", "medium", "large", "full"},
                      "fma only: tracks whose set.subset is at most this (small < medium < large < full = every row)");
  c.tag_source = s.choice("tag_source", c.tag_source, kFmaTagSourceNames,
                          "fma only: tag column: genres_all (genres + ancestors), genres (as assigned) or genre_top "
                          "(the single root; tracks without one are skipped)");
  c.n_tags = s.integer("n_tags", c.n_tags, "[1,inf)",
                       "Number of tags: the most frequent (fma: in the training split; mtat: over all clips), ties "
                       "by name; ignored when `tags` is set");
  c.tags = s.texts("tags", c.tags,
                   "Explicit tag names (genre titles for fma, column names for mtat), in output order; "
                   "overrides n_tags");
  c.drop_untagged = s.boolean("drop_untagged", c.drop_untagged,
                              "Drop tracks none of whose tags is among the chosen ones (as the MagnaTagATune top-50 "
                              "benchmark does); false keeps them as all-negative examples");
  c.max_tracks = s.integer("max_tracks", c.max_tracks, "[0,inf)",
                           "Keep only the first N tracks (by id) of each split, for quick runs; 0 = all");

  if (c.root.empty()) s.fail("root", "must name the dataset folder, got \"\"");
  std::set<std::string> seen;
  for (const auto& tag : c.tags) {
    if (tag.empty()) s.fail("tags", "holds an empty tag name; remove it");
    if (!seen.insert(tag).second) s.fail("tags", fmt::format("lists '{}' twice; list each tag once", tag));
  }
  return c;
}

std::string DatasetConfig::metadata_folder() const {
  if (!metadata_dir.empty()) return metadata_dir;
  return kind == DatasetKind::fma ? (std::filesystem::path(root) / "fma_metadata").string() : root;
}

std::string DatasetConfig::audio_folder() const {
  if (!audio_dir.empty()) return audio_dir;
  return kind == DatasetKind::fma ? (std::filesystem::path(root) / "audio").string() : root;
}

int DatasetConfig::subset_rank(const std::string& subset) {
  static const std::vector<std::string> order = {"small", "medium", "large", "full"};
  const auto it = std::find(order.begin(), order.end(), subset);
  return it == order.end() ? -1 : static_cast<int>(it - order.begin());
}

}  // namespace musictag::preprocess
