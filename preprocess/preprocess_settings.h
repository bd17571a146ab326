// PreprocessSettings: every config section the preprocess stage reads, parsed and validated once.
#pragma once

#include <string>

#include "cluster/config_file.h"
#include "preprocess/audio/augment_config.h"
#include "preprocess/features/feature_config.h"
#include "preprocess/preprocess_config.h"
#include "preprocess/sources/dataset_config.h"

namespace musictag::preprocess {

struct PreprocessSettings {
  DatasetConfig dataset;        // section `dataset`: which tracks, tags and splits
  FeatureConfig features;       // section `features`: the log-mel parameters
  AugmentConfig augment;        // section `augment`: time-stretch / pitch-shift variants
  PreprocessConfig preprocess;  // section `preprocess`: output folder, parts, segments, limits
  std::string resolved_config;  // YAML of the four sections with every value in force; stored with the output
  bool overwrite = false;       // --overwrite: replace an output folder made with another config

  // Reads the four sections from `file` (call file.finish() after, as ConfigFlags::load does).
  static PreprocessSettings read(cluster::ConfigFile& file);
};

}  // namespace musictag::preprocess
