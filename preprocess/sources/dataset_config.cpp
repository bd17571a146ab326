// DatasetConfig: reads and validates section `dataset`; per-kind default folders.
#include "preprocess/sources/dataset_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace musictag::preprocess {

DatasetConfig DatasetConfig::from(cluster::ConfigSection& s) {
  DatasetConfig c;
  c.kind = s.choice("kind", c.kind, kDatasetKindNames,
                    "Dataset format: fma (Free Music Archive), mtat (MagnaTagATune) or jamendo (MTG-Jamendo)");
  c.root = s.text("root", c.root,
                  "Dataset folder. fma: holds fma_metadata/ and the audio folder; mtat: holds "
                  "annotations_final.csv and the mp3 folders 0..f; jamendo: holds autotagging*.tsv and splits/ "
                  "(the data/ folder of MTG's mtg-jamendo-dataset repository)");
  c.metadata_dir = s.text("metadata_dir", c.metadata_dir,
                          "Folder with the metadata; \"\" = <root>/fma_metadata (fma) or <root> (mtat, jamendo)");
  c.audio_dir = s.text("audio_dir", c.audio_dir,
                       "Folder with the audio (FMA: NNN/NNNNNN.mp3 below it, e.g. fma_medium/; jamendo: the PATH "
                       "column, NN/<id>.mp3); \"\" = <root>/audio (fma, jamendo) or <root> (mtat)");
  c.subset = s.choice("subset", c.subset, {"small", "medium", "large", "full"},
                      "fma only: tracks whose set.subset is at most this (small < medium < large < full = every row)");
  c.tag_source = s.choice("tag_source", c.tag_source, kFmaTagSourceNames,
                          "fma only: tag column: genres_all (genres + ancestors), genres (as assigned) or genre_top "
                          "(the single root; tracks without one are skipped)");
  c.n_tags = s.integer("n_tags", c.n_tags, "[1,inf)",
                       "Number of tags: the most frequent (fma: in the training split; mtat: over all clips), ties "
                       "by name; ignored when `tags` is set, and by jamendo (every tag of its split files)");
  c.tags = s.texts("tags", c.tags,
                   "Explicit tag names (genre titles for fma, column names for mtat, e.g. mood/theme---happy for "
                   "jamendo), in output order; overrides n_tags");
  c.drop_untagged = s.boolean("drop_untagged", c.drop_untagged,
                              "Drop tracks none of whose tags is among the chosen ones (as the MagnaTagATune top-50 "
                              "benchmark does); false keeps them as all-negative examples");
  c.max_tracks = s.integer("max_tracks", c.max_tracks, "[0,inf)",
                           "Keep only the first N tracks (by id) of each split, for quick runs; 0 = all");
  c.jamendo_split = s.integer("jamendo_split", c.jamendo_split, "[0,4]",
                              "jamendo only: which of MTG-Jamendo's five artist-disjoint partitions, "
                              "splits/split-<k>, gives the training/validation/test tracks and their tags");
  c.tag_set = s.choice("tag_set", c.tag_set, kJamendoTagSetNames,
                       "jamendo only: which tables and split files: top50tags (the paper's 50 tags), genre, "
                       "instrument, moodtheme or all (autotagging.tsv, 183 tags in the splits)");
  c.jamendo_low_quality = s.boolean("jamendo_low_quality", c.jamendo_low_quality,
                                    "jamendo only: read the low-quality mono copies, NN/<id>.low.mp3, instead of the "
                                    "320 kbit/s NN/<id>.mp3 the PATH column names");

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
  return kind == DatasetKind::mtat ? root : (std::filesystem::path(root) / "audio").string();
}

int DatasetConfig::subset_rank(const std::string& subset) {
  static const std::vector<std::string> order = {"small", "medium", "large", "full"};
  const auto it = std::find(order.begin(), order.end(), subset);
  return it == order.end() ? -1 : static_cast<int>(it - order.begin());
}

}  // namespace musictag::preprocess
