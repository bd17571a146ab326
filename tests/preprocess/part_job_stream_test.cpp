// PartJob with preprocess.segments all: the rows written as a track streams equal the whole-track computation
// (AudioLoader::load, apply_variant, consecutive_segments, log-mel) bit for bit; a track that fails after its rows
// were written leaves none behind.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "cluster/config_file.h"
#include "demo_test_support.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/features/mel_spectrogram.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/part_reader.h"
#include "preprocess/part_job.h"

namespace musictag::preprocess {
namespace {

using test::cached_demo_dataset;
using test::TempDir;

// 4-second segments, so a 30-s demo clip makes 7 of each variant; two stretches (fewer and more samples than the
// original) and a pitch shift.
PreprocessSettings settings_for(const std::string& kind, const std::string& output) {
  cluster::ConfigFile file = cluster::ConfigFile::from_string(fmt::format(R"(
dataset: {{root: /unused}}
features: {{kind: {}, sample_rate: 12000, segment_seconds: 4.0}}
augment: {{time_stretches: [0.8, 1.25], pitch_shifts: [2], splits: [training]}}
preprocess: {{output: {}, segments: all, min_seconds: 1}}
)",
                                                                          kind, output));
  PreprocessSettings settings = PreprocessSettings::read(file);
  file.finish();
  return settings;
}

// Three good demo clips and a silent one (decodes fine, fails only once the whole track has been seen).
std::vector<TrackRecord> demo_tracks() {
  const auto root = cached_demo_dataset(40, 7);
  std::vector<std::string> files;
  for (const auto& entry : test::fs::recursive_directory_iterator(root / "audio"))
    if (entry.path().extension() == ".mp3") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<TrackRecord> tracks;
  std::string silent;
  for (const auto& file : files) {
    const test::DecodeResult decoded = test::decode_audio(file);
    if (!decoded.opened || !decoded.error.empty() || decoded.seconds() < 20) continue;
    if (decoded.peak < 1e-6 && silent.empty()) silent = file;
    if (decoded.peak > 0.01 && tracks.size() < 3)
      tracks.push_back({1000 + int64_t(tracks.size()), file, "training", {1, 0}});
  }
  EXPECT_FALSE(silent.empty()) << "the demo lost its silent clip";
  tracks.insert(tracks.begin() + 1, TrackRecord{999, silent, "training", {0, 1}});
  return tracks;
}

using RowKey = std::tuple<int64_t, int16_t, int16_t>;  // track, variant, segment

class PartJobStream : public ::testing::TestWithParam<std::string> {};

TEST_P(PartJobStream, RowsEqualTheWholeTrackComputation) {
  TempDir out;
  const PreprocessSettings settings = settings_for(GetParam(), out.path().string());
  const std::vector<TrackRecord> tracks = demo_tracks();
  std::vector<const TrackRecord*> split;
  for (const auto& t : tracks) split.push_back(&t);
  OutputFolder folder{out.path().string()};
  test::fs::create_directories(folder.parts_dir());
  PartJob job(settings, {"a", "b"}, folder);
  const PartResult result = job.run(PartSpec{"training", 0, 0, int64_t(split.size())}, split, [](int64_t) {});
  EXPECT_EQ(result.tracks_done, 3);
  EXPECT_EQ(result.tracks_failed, 1);
  const std::string failures = test::read_bytes(folder.part_failures_path("training", 0));
  EXPECT_NE(failures.find("999\t"), std::string::npos) << failures;
  EXPECT_NE(failures.find("silent"), std::string::npos) << failures;

  // The reference: every step on the whole track in memory.
  const AudioLoader loader(12000, 1.0);
  MelSpectrogram mel(settings.features);
  const int64_t length = settings.features.segment_samples();
  std::map<RowKey, std::vector<uint16_t>> expected;
  for (const TrackRecord& track : tracks) {
    if (track.track_id == 999) continue;
    const DecodedAudio audio = loader.load(track.audio_path);
    for (const AudioVariant& variant : settings.augment.variants()) {
      const auto segments = consecutive_segments(apply_variant(audio.samples, 12000, variant), length);
      for (size_t s = 0; s < segments.size(); ++s) {
        const std::vector<float> values = settings.features.is_waveform() ? segments[s] : mel.compute(segments[s]);
        std::vector<uint16_t> halves(values.size());
        floats_to_halves(values.data(), halves.data(), values.size());
        expected[{track.track_id, variant.index, int16_t(s)}] = std::move(halves);
      }
    }
  }

  PartReader part(folder.part_path("training", 0));
  ASSERT_EQ(part.size(), int64_t(expected.size()));
  EXPECT_EQ(result.examples, part.size());
  std::vector<uint16_t> row(static_cast<size_t>(part.example_values()));
  std::map<RowKey, int> seen;
  for (int64_t i = 0; i < part.size(); ++i) {
    const RowKey key{part.track_ids()[i], part.variants()[i], part.segments()[i]};
    ASSERT_EQ(++seen[key], 1) << "row " << i << " repeats track " << std::get<0>(key);
    ASSERT_TRUE(expected.count(key)) << "row " << i << ": track " << std::get<0>(key) << " variant " << std::get<1>(key)
                                     << " segment " << std::get<2>(key) << " unexpected";
    part.read_examples_float16(i, 1, row.data());
    EXPECT_TRUE(row == expected[key]) << "row " << i << ": track " << std::get<0>(key) << " variant "
                                      << std::get<1>(key) << " segment " << std::get<2>(key);
    const AudioVariant variant = settings.augment.variants()[size_t(std::get<1>(key))];
    EXPECT_FLOAT_EQ(part.time_stretches()[i], float(variant.time_stretch));
    EXPECT_EQ(part.tags_of(i)[0], 1);
  }
  // Each track's rows are together, in track order; the silent track left none.
  const auto& ids = part.track_ids();
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 999), 0);
}

INSTANTIATE_TEST_SUITE_P(Kinds, PartJobStream, ::testing::Values("waveform", "logmel"));

}  // namespace
}  // namespace musictag::preprocess
