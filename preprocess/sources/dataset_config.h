// DatasetConfig: which dataset the preprocess stage reads and how tags are chosen (config section `dataset`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/config_reader.h"

namespace musictag::preprocess {

// Dataset formats (the loader's registry key, dataset_loader.cpp) and FMA's tag columns.
enum class DatasetKind { fma, mtat, jamendo };
inline constexpr ChoiceName<DatasetKind> kDatasetKindNames[] = {
    {DatasetKind::fma, "fma"}, {DatasetKind::mtat, "mtat"}, {DatasetKind::jamendo, "jamendo"}};
enum class FmaTagSource { genres_all, genres, genre_top };
inline constexpr ChoiceName<FmaTagSource> kFmaTagSourceNames[] = {
    {FmaTagSource::genres_all, "genres_all"}, {FmaTagSource::genres, "genres"}, {FmaTagSource::genre_top, "genre_top"}};
// MTG-Jamendo's tag sets: each names the files autotagging_<name>.tsv and splits/split-<k>/autotagging_<name>-*.tsv
// ("all": autotagging.tsv and splits/split-<k>/autotagging-*.tsv).
enum class JamendoTagSet { top50tags, genre, instrument, moodtheme, all };
inline constexpr ChoiceName<JamendoTagSet> kJamendoTagSetNames[] = {{JamendoTagSet::top50tags, "top50tags"},
                                                                    {JamendoTagSet::genre, "genre"},
                                                                    {JamendoTagSet::instrument, "instrument"},
                                                                    {JamendoTagSet::moodtheme, "moodtheme"},
                                                                    {JamendoTagSet::all, "all"}};

struct DatasetConfig {
  DatasetKind kind = DatasetKind::fma;  // Free Music Archive, MagnaTagATune or MTG-Jamendo
  std::string root = "data/fma";        // dataset folder (relative paths are relative to the working directory)
  std::string metadata_dir;             // "" = fma: <root>/fma_metadata (tracks.csv, genres.csv); mtat: <root>
                                        // (annotations_final.csv); jamendo: <root> (autotagging*.tsv, splits/)
  std::string audio_dir;                // "" = fma: <root>/audio (real FMA: fma_medium/, fma_full/ ...); mtat: <root>
                                        // (folders 0..f); jamendo: <root>/audio (folders 00..99)
  std::string subset = "medium";        // fma only, {small, medium, large, full}: nested,
                                        // small ⊂ medium ⊂ large ⊂ full
  FmaTagSource tag_source = FmaTagSource::genres_all;  // fma only: which track.* column
  int64_t n_tags = 50;                                 // [1,inf): the n most frequent tags (fewer if fewer occur)
  std::vector<std::string> tags;                       // explicit tag names in this order; non-empty overrides n_tags
  bool drop_untagged = true;  // drop tracks with none of the chosen tags (MagnaTagATune benchmark
                              // convention: 15,247 / 1,529 / 4,332 clips keep a top-50 tag); false keeps them
                              // with all-zero tags
  int64_t max_tracks = 0;     // [0,inf): keep the first N tracks of each split by id; 0 = all
  int64_t jamendo_split = 0;  // jamendo only, [0,4]: which of the five splits/split-<k> partitions
  JamendoTagSet tag_set = JamendoTagSet::top50tags;  // jamendo only: which tables and split files
  bool jamendo_low_quality = false;                  // jamendo only: read the mono <id>.low.mp3 copies instead

  // Reads section `dataset` (all keys optional) and checks every value once; ConfigError names the key.
  static DatasetConfig from(cluster::ConfigSection& section);

  const char* kind_name() const { return choice_name(kDatasetKindNames, kind); }
  const char* tag_source_name() const { return choice_name(kFmaTagSourceNames, tag_source); }
  const char* tag_set_name() const { return choice_name(kJamendoTagSetNames, tag_set); }
  std::string metadata_folder() const;  // metadata_dir, or its per-kind default
  std::string audio_folder() const;     // audio_dir, or its per-kind default
  // Position of `subset` (or of an FMA set.subset value) in small < medium < large < full; -1 when unknown.
  static int subset_rank(const std::string& subset);
};

}  // namespace musictag::preprocess
