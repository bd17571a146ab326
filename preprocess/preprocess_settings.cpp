// PreprocessSettings: every config section the preprocess stage reads, parsed and validated once.
#include "preprocess/preprocess_settings.h"

namespace musictag::preprocess {

PreprocessSettings PreprocessSettings::read(cluster::ConfigFile& file) {
  PreprocessSettings settings;
  settings.dataset = DatasetConfig::from(file.section("dataset"));
  settings.features = FeatureConfig::from(file.section("features"));
  settings.augment = AugmentConfig::from(file.section("augment"));
  settings.preprocess = PreprocessConfig::from(file.section("preprocess"));
  settings.resolved_config = file.resolved_yaml();
  return settings;
}

}  // namespace musictag::preprocess
