// Part format version 2: waveform parts (/audio [N, n_samples] float16) round-trip exactly; version 1 log-mel parts
// (no feature_kind, no n_samples) still read; other versions and inconsistent headers are refused by name.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_attribute.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/part_reader.h"

namespace musictag::preprocess {
namespace {
using testing::PartFolderTest;

using PartWaveform = PartFolderTest;

FeatureConfig waveform_features() {
  FeatureConfig features;
  features.kind = FeatureKind::waveform;
  features.sample_rate = 16000;
  features.segment_seconds = 0.5;  // 8,000 samples
  return features;
}

// `count` waveforms uniform in [-1.2, 1.2] (resampling overshoots full scale), tags by row.
struct Waveforms {
  std::vector<std::vector<float>> samples;
  std::vector<std::vector<uint8_t>> tags;
  std::vector<PartExample> examples;

  Waveforms(const PartHeader& header, int count) {
    std::mt19937_64 random(9);
    std::uniform_real_distribution<float> amplitude(-1.2f, 1.2f);
    for (int i = 0; i < count; ++i) {
      samples.emplace_back(static_cast<size_t>(header.n_samples));
      for (float& s : samples.back()) s = amplitude(random);
      tags.push_back({static_cast<uint8_t>(i % 2), 1, 0, 0, static_cast<uint8_t>(i % 3 == 0)});
    }
    for (int i = 0; i < count; ++i) {
      PartExample e;
      e.track_id = 40 + i;
      e.segment = static_cast<int16_t>(i);
      e.data = samples[static_cast<size_t>(i)].data();
      e.tags = tags[static_cast<size_t>(i)].data();
      examples.push_back(e);
    }
  }
};

TEST_F(PartWaveform, RoundTripsExactlyAsAudioOfTheSegmentsLength) {
  const PartHeader header = PartHeader::make(waveform_features(), testing::test_tag_names(), "training", 0);
  ASSERT_TRUE(header.is_waveform());
  EXPECT_EQ(header.n_samples, 8000);
  EXPECT_EQ(header.rows(), 1);
  EXPECT_EQ(header.columns(), 8000);
  const Waveforms input(header, 4);
  PartWriter writer(file("w.h5"), header);
  for (const auto& e : input.examples) writer.append(e);
  writer.commit();

  {  // The layout h5py sees: /audio [4, 8000] float16 in one-example chunks, no /mel, no mel attributes.
    const Hdf5File h5 = open_hdf5_file(file("w.h5"));
    EXPECT_FALSE(H5Lexists(h5.get(), "mel", H5P_DEFAULT) > 0);
    const Hdf5Dataset audio = open_hdf5_dataset(h5.get(), "audio", file("w.h5"));
    EXPECT_EQ(hdf5_dataset_dims(audio, file("w.h5")), (std::vector<hsize_t>{4, 8000}));
    const Hdf5PropertyList create(H5Dget_create_plist(audio.get()));
    hsize_t chunk[2] = {0, 0};
    ASSERT_EQ(H5Pget_chunk(create.get(), 2, chunk), 2);
    EXPECT_EQ(chunk[0], 1u);
    EXPECT_EQ(chunk[1], 8000u);
    EXPECT_EQ(read_string_attribute(h5.get(), "feature_kind", "w.h5"), "waveform");
    EXPECT_EQ(read_int64_attribute(h5.get(), "n_samples", "w.h5"), 8000);
    EXPECT_EQ(read_int64_attribute(h5.get(), "format_version", "w.h5"), 2);
    EXPECT_FALSE(has_attribute(h5.get(), "n_mels"));
  }

  PartReader reader(file("w.h5"));
  EXPECT_TRUE(reader.header().is_waveform());
  EXPECT_EQ(reader.example_values(), 8000);
  EXPECT_EQ(reader.header().features(), waveform_features().to_json());
  std::vector<float> all(4 * 8000);
  reader.read_examples(0, 4, all.data());
  for (size_t i = 0; i < 4; ++i) {
    for (size_t k = 0; k < 8000; ++k) {
      const float expected = round_to_half(input.samples[i][k]);  // exact: the float16 the writer stored
      ASSERT_EQ(all[i * 8000 + k], expected) << "example " << i << " sample " << k;
      // float16 keeps 11 significant bits: relative error <= 2^-11 of the sample (about -66 dB, at any level).
      ASSERT_LE(std::abs(all[i * 8000 + k] - input.samples[i][k]), std::abs(input.samples[i][k]) * 0x1p-11f + 1e-7f);
    }
  }
  EXPECT_EQ(reader.track_ids(), (std::vector<int64_t>{40, 41, 42, 43}));
  EXPECT_EQ(std::vector<uint8_t>(reader.tags_of(3), reader.tags_of(3) + 5), input.tags[3]);
}

TEST_F(PartWaveform, FeatureJsonOfAWaveformKeepsOnlyWhatChangesTheSamples) {
  const auto json = waveform_features().parameters();
  EXPECT_EQ(json, (nlohmann::json{{"kind", "waveform"}, {"sample_rate", 16000}, {"segment_seconds", 0.5}}));
  EXPECT_EQ(FeatureConfig::from_json(json).parameters(), json);
  // Log-mel features do not name their kind, so manifests of datasets made before waveforms compare equal.
  EXPECT_FALSE(FeatureConfig{}.parameters().contains("kind"));
  EXPECT_FALSE(FeatureConfig::from_json(FeatureConfig{}.to_json()).is_waveform());
}

// Rewrites a freshly written version 2 log-mel part as version 1 wrote it: no feature_kind, no n_samples.
void downgrade_to_version_1(const std::string& path) {
  const Hdf5File h5 = open_hdf5_file(path, /*writable=*/true);
  H5_CHECK(H5Adelete(h5.get(), "feature_kind"));
  H5_CHECK(H5Adelete(h5.get(), "n_samples"));
  H5_CHECK(H5Adelete(h5.get(), "format_version"));
  write_attribute(h5.get(), "format_version", int64_t{1}, path);
}

TEST_F(PartWaveform, VersionOneLogMelPartsStillRead) {
  const PartHeader header = testing::test_header(0, 8);
  const testing::TestExamples input(header, 3, 4);
  testing::write_part(file("v1.h5"), header, input);
  downgrade_to_version_1(file("v1.h5"));

  PartReader reader(file("v1.h5"));
  EXPECT_EQ(reader.header().format_version, 1);
  EXPECT_FALSE(reader.header().is_waveform());
  EXPECT_EQ(reader.header().n_samples, FeatureConfig{}.segment_samples());
  EXPECT_EQ(reader.header().rows(), 8);
  EXPECT_EQ(reader.header().columns(), 1366);
  std::vector<float> mel(static_cast<size_t>(reader.example_values()));
  reader.read_example(2, mel.data());
  for (size_t k = 0; k < mel.size(); k += 101) ASSERT_EQ(mel[k], round_to_half(input.mels[2][k])) << k;
}

std::string open_error(const std::string& path) {
  try {
    PartReader reader(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST_F(PartWaveform, OtherVersionsAndInconsistentKindsAreRefusedByName) {
  const PartHeader header = testing::test_header(0, 8);
  const testing::TestExamples input(header, 1, 5);
  testing::write_part(file("v3.h5"), header, input);
  {
    const Hdf5File h5 = open_hdf5_file(file("v3.h5"), true);
    H5_CHECK(H5Adelete(h5.get(), "format_version"));
    write_attribute(h5.get(), "format_version", int64_t{3}, file("v3.h5"));
  }
  std::string message = open_error(file("v3.h5"));
  EXPECT_NE(message.find("'format_version' is 3, this musictag reads 1 to 2"), std::string::npos) << message;

  testing::write_part(file("kind.h5"), header, input);
  {
    const Hdf5File h5 = open_hdf5_file(file("kind.h5"), true);
    H5_CHECK(H5Adelete(h5.get(), "feature_kind"));
    write_attribute(h5.get(), "feature_kind", std::string("waveform"), file("kind.h5"));
  }
  message = open_error(file("kind.h5"));
  EXPECT_NE(message.find(file("kind.h5")), std::string::npos) << message;
  EXPECT_NE(message.find("'feature_kind' (waveform) disagrees with features_json (logmel)"), std::string::npos)
      << message;

  testing::write_part(file("odd.h5"), header, input);
  {
    const Hdf5File h5 = open_hdf5_file(file("odd.h5"), true);
    H5_CHECK(H5Adelete(h5.get(), "feature_kind"));
    write_attribute(h5.get(), "feature_kind", std::string("cqt"), file("odd.h5"));
  }
  message = open_error(file("odd.h5"));
  EXPECT_NE(message.find("'feature_kind' is 'cqt', expected logmel or waveform"), std::string::npos) << message;
}

}  // namespace
}  // namespace musictag::preprocess
