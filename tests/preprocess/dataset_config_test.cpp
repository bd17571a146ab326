// DatasetConfig keys, defaults and errors naming the key; TagVocabulary ranking, ties and explicit lists.
#include <gtest/gtest.h>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/tag_vocabulary.h"

namespace musictag::preprocess {
namespace {

using test::dataset_config;
using test::expect_error;

TEST(DatasetConfig, DefaultsAndPerKindFolders) {
  const auto c = dataset_config("{}");
  EXPECT_EQ(c.kind, DatasetKind::fma);
  EXPECT_EQ(c.subset, "medium");
  EXPECT_EQ(c.tag_source, FmaTagSource::genres_all);
  EXPECT_EQ(c.n_tags, 50);
  EXPECT_TRUE(c.tags.empty());
  EXPECT_EQ(c.max_tracks, 0);
  EXPECT_TRUE(c.drop_untagged);
  const auto fma = dataset_config("{root: /data/fma}");
  EXPECT_EQ(fma.metadata_folder(), "/data/fma/fma_metadata");
  EXPECT_EQ(fma.audio_folder(), "/data/fma/audio");
  const auto real = dataset_config("{root: /data/fma, audio_dir: /data/fma/fma_medium, metadata_dir: /m}");
  EXPECT_EQ(real.metadata_folder(), "/m");
  EXPECT_EQ(real.audio_folder(), "/data/fma/fma_medium");
  const auto mtat = dataset_config("{kind: mtat, root: /data/mtat}");
  EXPECT_EQ(mtat.metadata_folder(), "/data/mtat");
  EXPECT_EQ(mtat.audio_folder(), "/data/mtat");
  const auto jamendo = dataset_config("{kind: jamendo, root: /data/jamendo}");
  EXPECT_EQ(jamendo.metadata_folder(), "/data/jamendo");
  EXPECT_EQ(jamendo.audio_folder(), "/data/jamendo/audio");
  EXPECT_EQ(jamendo.jamendo_split, 0);
  EXPECT_EQ(jamendo.tag_set, JamendoTagSet::top50tags);
  EXPECT_FALSE(jamendo.jamendo_low_quality);
  const auto moods = dataset_config("{kind: jamendo, tag_set: moodtheme, jamendo_split: 4, jamendo_low_quality: true}");
  EXPECT_EQ(moods.tag_set, JamendoTagSet::moodtheme);
  EXPECT_STREQ(moods.tag_set_name(), "moodtheme");
  EXPECT_EQ(moods.jamendo_split, 4);
  EXPECT_TRUE(moods.jamendo_low_quality);
}

TEST(DatasetConfig, SubsetsAreOrdered) {
  EXPECT_LT(DatasetConfig::subset_rank("small"), DatasetConfig::subset_rank("medium"));
  EXPECT_LT(DatasetConfig::subset_rank("medium"), DatasetConfig::subset_rank("large"));
  EXPECT_LT(DatasetConfig::subset_rank("large"), DatasetConfig::subset_rank("full"));
  EXPECT_EQ(DatasetConfig::subset_rank("tiny"), -1);
}

TEST(DatasetConfig, ErrorsNameTheKey) {
  const auto config_error = [](const std::string& body, const std::vector<std::string>& parts) {
    expect_error<ConfigError>([&] { dataset_config(body); }, parts);
  };
  config_error("{kind: gtzan}", {"dataset.kind", "gtzan", "{fma,mtat,jamendo}"});
  config_error("{jamendo_split: 5}", {"dataset.jamendo_split", "[0,4]", "5"});
  config_error("{tag_set: mood}", {"dataset.tag_set", "mood", "{top50tags,genre,instrument,moodtheme,all}"});
  config_error("{subset: huge}", {"dataset.subset", "huge", "small"});
  config_error("{tag_source: tags}", {"dataset.tag_source", "genres_all"});
  config_error("{n_tags: 0}", {"dataset.n_tags", "[1,inf)"});
  config_error("{max_tracks: -1}", {"dataset.max_tracks"});
  config_error("{root: ''}", {"dataset.root"});
  config_error("{tags: [Rock, Jazz, Rock]}", {"dataset.tags", "'Rock' twice"});
  config_error("{tags: [Rock, '']}", {"dataset.tags", "empty"});
  config_error("{n_tag: 5}", {"n_tag"});  // a typo is refused, never silently the default
}

TEST(TagVocabulary, MostFrequentFirstTiesByNameAndNeverUnusedTags) {
  const std::map<std::string, int64_t> counts = {{"b", 5}, {"a", 5}, {"c", 9}, {"d", 1}, {"e", 0}};
  EXPECT_EQ(TagVocabulary::most_frequent(counts, 3).names(), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(TagVocabulary::most_frequent(counts, 50).names(), (std::vector<std::string>{"c", "a", "b", "d"}));
}

TEST(TagVocabulary, ExplicitListKeepsOrderAndRejectsUnknownNames) {
  const std::vector<std::string> available = {"Rock", "Jazz", "Pop"};
  const auto v = TagVocabulary::explicit_list({"Pop", "Rock"}, available, "dataset.tags");
  EXPECT_EQ(v.names(), (std::vector<std::string>{"Pop", "Rock"}));
  EXPECT_EQ(v.multi_hot({"Rock", "Jazz"}), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(v.index_of("Jazz"), -1);
  expect_error<ConfigError>(
      [&] {
        TagVocabulary::explicit_list({"Rock", "rock"}, available, "dataset.tags");
      },
      {"dataset.tags", "'rock'", "Jazz, Pop, Rock"});
}

TEST(TagVocabulary, NothingCountedIsADataError) {
  expect_error<DataError>([] { TagVocabulary::choose({}, 5, {}, {"Rock"}, "dataset.tags", "the training split"); },
                          {"no tag occurs in the training split"});
}

}  // namespace
}  // namespace musictag::preprocess
