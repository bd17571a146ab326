// model_input_columns: which model reads which dataset (log-mel or waveform), with errors naming both sides.
#include <gtest/gtest.h>

#include "config_test_support.h"
#include "train/model_input_check.h"

namespace musictag::train {
namespace {

ModelConfig model(const std::string& yaml) { return test::read_section<ModelConfig>(yaml, "model", "test.yaml"); }

const StoredExamples kLogMels{"/data/mel", preprocess::FeatureKind::logmel, 96, 1366, 12000};
const StoredExamples kWaveforms{"/data/wave", preprocess::FeatureKind::waveform, 1, 160000, 16000};

TEST(ModelInputCheck, LogMelModelsCropFramesOfStoredLogMels) {
  const ModelConfig crnn = model("model: {kind: crnn, n_mels: 96, n_frames: 1366}");
  EXPECT_EQ(model_input_columns(crnn, kLogMels), 1366);
  const ModelConfig cropped = model("model: {kind: crnn, n_mels: 96, n_frames: 256}");
  EXPECT_EQ(model_input_columns(cropped, kLogMels, 256), 256);
  EXPECT_NE(test::config_error_of([&] { model_input_columns(cropped, kLogMels); }).find("model.n_frames is 256"),
            std::string::npos);
  const ModelConfig bands = model("model: {kind: crnn, n_mels: 128, n_frames: 1366}");
  EXPECT_NE(test::config_error_of([&] { model_input_columns(bands, kLogMels); }).find("set model.n_mels to 96"),
            std::string::npos);
}

TEST(ModelInputCheck, WaveformModelsCropSamplesOfStoredWaveforms) {
  EXPECT_EQ(model_input_columns(model("model: {kind: sample_cnn}"), kWaveforms), 59049);
  // A log-mel kind through the device frontend reads waveforms too (here at the frontend's default 12 kHz).
  const ModelConfig frontend = model("model: {kind: short_chunk_cnn, frontend: logmel}");
  StoredExamples at_12k = kWaveforms;
  at_12k.sample_rate = 12000;
  EXPECT_EQ(model_input_columns(frontend, at_12k), frontend.n_samples());
  EXPECT_GT(frontend.n_samples(), 0);
}

TEST(ModelInputCheck, MixingKindsIsRefusedNamingBoth) {
  const std::string waveform_on_mels =
      test::config_error_of([&] { model_input_columns(model("model: {kind: sample_cnn}"), kLogMels); });
  EXPECT_NE(waveform_on_mels.find("model.kind sample_cnn reads waveforms"), std::string::npos) << waveform_on_mels;
  EXPECT_NE(waveform_on_mels.find("dataset '/data/mel' stores log-mels"), std::string::npos) << waveform_on_mels;
  EXPECT_NE(waveform_on_mels.find("features.kind: waveform"), std::string::npos) << waveform_on_mels;

  const std::string mels_on_waveforms = test::config_error_of(
      [&] { model_input_columns(model("model: {kind: crnn, n_mels: 96, n_frames: 1366}"), kWaveforms); });
  EXPECT_NE(mels_on_waveforms.find("model.kind crnn reads stored log-mels"), std::string::npos) << mels_on_waveforms;
  EXPECT_NE(mels_on_waveforms.find("dataset '/data/wave' stores waveforms"), std::string::npos) << mels_on_waveforms;
  EXPECT_NE(mels_on_waveforms.find("model.frontend: logmel"), std::string::npos) << mels_on_waveforms;
}

TEST(ModelInputCheck, WaveformRateLengthAndInputFramesAreChecked) {
  StoredExamples slow = kWaveforms;
  slow.sample_rate = 12000;
  const std::string rate =
      test::config_error_of([&] { model_input_columns(model("model: {kind: sample_cnn}"), slow); });
  EXPECT_NE(rate.find("expects audio at 16000 Hz but dataset '/data/wave' stores waveforms at 12000 Hz"),
            std::string::npos)
      << rate;
  StoredExamples short_clips = kWaveforms;
  short_clips.columns = 40000;
  const std::string length =
      test::config_error_of([&] { model_input_columns(model("model: {kind: sample_cnn}"), short_clips); });
  EXPECT_NE(length.find("model.n_samples is 59049 but dataset '/data/wave' stores 40000 samples"), std::string::npos)
      << length;
  const std::string frames =
      test::config_error_of([&] { model_input_columns(model("model: {kind: sample_cnn}"), kWaveforms, 128); });
  EXPECT_NE(frames.find("set train.input_frames to 0"), std::string::npos) << frames;
  EXPECT_EQ(model_input_columns(model("model: {kind: sample_cnn}"), kWaveforms, 59049), 59049);
}

}  // namespace
}  // namespace musictag::train
