// DatasetConfig: which dataset the preprocess stage reads and how tags are chosen (config section `dataset`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/config_reader.h"

namespace musictag::preprocess {

// Dataset formats (the loader's registry key, dataset_loader.cpp) and FMA's tag columns.
enum class DatasetKind { fma, mtat };
inline constexpr ChoiceName<DatasetKind> kDatasetKindNames[] = {{DatasetKind::fma, "fma"}, {DatasetKind::mtat, "mtat"}};
enum class FmaTagSource { genres_all, genres, genre_top };
inline constexpr ChoiceName<FmaTagSource> kFmaTagSourceNames[] = {
    {FmaTagSource::genres_all, "genres_all"}, {FmaTagSource::genres, "genres"}, {FmaTagSource::genre_top, "genre_top"}};

struct DatasetConfig {
  DatasetKind kind = DatasetKind::fma;  // Free Music Archive or MagnaTagATune
  std::string root = "data/fma";        // dataset folder (relative paths are relative to the working directory)
  std::string metadata_dir;             // "" = fma: <root>/fma_metadata (tracks.csv, genres.csv); mtat: <root>
                                        // (annotations_final.csv)
  std::string audio_dir;                // "" = fma: <root>/audio (real FMA: fma_medium/, fma_full/ ...); mtat: <root>
                                        // (folders 0..f)
  std::string subset = "medium";        // fma only, {small, medium, large, full}: nested,
                                        // small ⊂ medium ⊂ large ⊂ full
  FmaTagSource tag_source = FmaTagSource::genres_all;  // fma only: which track.* column
  int64_t n_tags = 50;                                 // [1,inf): the n most frequent tags (fewer if fewer occur)
  std::vector<std::string> tags;                       // explicit tag names in this order; non-empty overrides n_tags
  bool drop_untagged = true;  // drop tracks with none of the chosen tags (MagnaTagATune benchmark
                              // convention: 21,105 of 25,863 clips keep a top-50 tag); false keeps them
                              // with all-zero tags
  int64_t max_tracks = 0;     // [0,inf): keep the first N tracks of each split by id; 0 = all

  // Reads section `dataset` (all keys optional) and checks every value once; ConfigError names the key.
  static DatasetConfig from(cluster::ConfigSection& section);

  const char* kind_name() const { return choice_name(kDatasetKindNames, kind); }
  const char* tag_source_name() const { return choice_name(kFmaTagSourceNames, tag_source); }
  std::string metadata_folder() const;  // metadata_dir, or its per-kind default
  std::string audio_folder() const;     // audio_dir, or its per-kind default
  // Position of `subset` (or of an FMA set.subset value) in small < medium < large < full; -1 when unknown.
  static int subset_rank(const std::string& subset);
};

}  // namespace musictag::preprocess
