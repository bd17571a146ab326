// The waveform kinds (sample_cnn, sample_cnn_se, harmonic_cnn) and model.frontend: logmel through the registry:
// the spec's parameter counts, state names as Won's code, reduced versions, config errors naming keys, the
// harmonic filterbank's geometry and its learnable Q, and a spectrogram kind on the device frontend.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <set>
#include <string>

#include "cluster/errors.h"
#include "config_test_support.h"
#include "train/models/frontend_model.h"
#include "train/models/harmonic_stft.h"
#include "train/models/model_config.h"
#include "train/models/model_description.h"
#include "train/models/model_registry.h"

namespace musictag::train {
namespace {

using test::state_names;

ModelConfig read(const std::string& yaml) { return test::read_section<ModelConfig>(yaml, "model", "zoo.yaml"); }

std::string config_error_of(const std::string& yaml) {
  return test::config_error_of([&] { read(yaml); });
}

TEST(WaveformModels, PaperSizesHaveTheSpecsParameterCountsAndStateNames) {
  // ../shared/models-won2020.md, for 50 tags.
  const std::vector<std::tuple<std::string, int64_t, int64_t, std::vector<std::string>>> kinds = {
      {"sample_cnn",
       1869874,
       59049,
       {"layer1.conv.weight", "layer10.bn.running_var", "layer11.conv.weight", "dense.bias"}},
      {"sample_cnn_se",
       6951858,
       59049,
       {"layer1.conv_3.weight", "layer2.dense1.weight", "layer4.bn_3.bias", "layer11.conv_2.weight", "dense1.weight",
        "bn.running_mean", "dense2.bias"}},
      {"harmonic_cnn",
       3631551,
       80000,
       {"hstft.bw_Q", "hstft_bn.weight", "layer1.conv.weight", "layer2.conv_1.weight", "layer7.bn_2.running_var",
        "dense1.weight", "bn.bias", "dense2.weight"}},
  };
  for (const auto& [name, parameters, samples, keys] : kinds) {
    SCOPED_TRACE(name);
    const ModelConfig config = read("model: {kind: " + name + "}");
    EXPECT_EQ(config.input(), ModelInput::waveform);
    EXPECT_EQ(config.n_samples(), samples);
    EXPECT_EQ(config.sample_rate(), 16000);
    const TaggingModel model = config.build(50);
    EXPECT_EQ(model->parameter_count(), parameters);
    EXPECT_EQ(model->input(), ModelInput::waveform);
    EXPECT_EQ(model->input_shape(2), (std::vector<int64_t>{2, samples}));
    const auto names = state_names(*model);
    for (const auto& key : keys) EXPECT_TRUE(names.count(key)) << "no '" << key << "'";
    // A waveform model has no mel bands: n_mels says so and names the dataset kind it needs.
    try {
      config.n_mels();
      ADD_FAILURE() << "n_mels() of a waveform model";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("features.kind: waveform"), std::string::npos) << e.what();
    }
  }
}

TEST(WaveformModels, DescribeModelListsTheWaveformInputAndTheSpecsCount) {
  const TaggingModel model = read("model: {kind: sample_cnn, n_tags: 50}").build();
  const std::string text = describe_model(*model, "sample-level");
  EXPECT_NE(text.find("input [1, 59049 samples] at 16000 Hz"), std::string::npos) << text;
  EXPECT_NE(text.find("layer1  "), std::string::npos) << text;
  EXPECT_NE(text.find("trainable parameters: 1,869,874 (1869874)"), std::string::npos) << text;
}

TEST(WaveformModels, HarmonicFilterbankHasTheSpecsGeometry) {
  HarmonicStft hstft(HarmonicStftOptions{});
  ASSERT_EQ(hstft->n_fundamentals(), 128);  // MIDI 24 .. 87.5 in half semitones
  ASSERT_EQ(hstft->f0.size(0), 6 * 128);
  EXPECT_NEAR(hstft->f0[0].item<double>(), 32.7032, 1e-3);     // C1
  EXPECT_NEAR(hstft->f0[127].item<double>(), 1280.975, 1e-2);  // MIDI 87.5
  EXPECT_NEAR(hstft->f0[128].item<double>(), 2 * 32.7032, 1e-3);
  const auto fb = hstft->filterbank();  // [257 bins of 31.25 Hz, 768]
  ASSERT_EQ(fb.sizes(), (std::vector<int64_t>{257, 768}));
  EXPECT_LE(fb.max().item<double>(), 1.0);
  EXPECT_GE(fb.min().item<double>(), 0.0);
  // Filter 255 (h = 2, f = 2 * 1280.975 Hz): bw = (0.1079 f + 24.7) / Q = 301.1 Hz; at bin 82 (2562.5 Hz) the
  // triangle is 1 - 2 |2562.5 - f| / bw.
  const double f = hstft->f0[255].item<double>(), bw = 0.1079 * f + 24.7;
  EXPECT_NEAR(fb[82][255].item<double>(), 1.0 - 2.0 * std::abs(2562.5 - f) / bw, 1e-4);
  EXPECT_EQ(fb[90][255].item<double>(), 0.0);  // 2812.5 Hz: outside f +- bw / 2
  // A larger Q narrows every filter.
  {
    torch::NoGradGuard no_grad;
    hstft->bw_Q.fill_(2.0);
  }
  EXPECT_LT(hstft->filterbank().sum().item<double>(), 0.6 * fb.sum().item<double>());
  const auto out = hstft->forward(torch::randn({2, 8000}) * 0.1);
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{2, 6, 128, 32}));
}

TEST(WaveformModels, HarmonicQLearnsAndCanBeFixed) {
  at::set_num_threads(1);
  const ModelConfig config =
      read("model: {kind: harmonic_cnn, n_tags: 3, channels: 2, n_samples: 9216, hop_length: 32}");
  const TaggingModel model = config.build();
  model->train();
  torch::manual_seed(4);
  const auto loss = torch::nn::functional::binary_cross_entropy_with_logits(
      model->forward(torch::randn({2, 9216}) * 0.1), torch::ones({2, 3}));
  loss.backward();
  const torch::Tensor q = model->named_parameters()["hstft.bw_Q"];
  ASSERT_TRUE(q.grad().defined());
  EXPECT_NE(q.grad().item<double>(), 0.0);
  const TaggingModel fixed = read("model: {kind: harmonic_cnn, n_tags: 3, channels: 2, learn_q: false}").build();
  EXPECT_EQ(fixed->parameter_count(), model->parameter_count() - 1);
  EXPECT_TRUE(state_names(*fixed).count("hstft.bw_Q"));  // a buffer then
}

TEST(WaveformModels, ReducedVersionsRebuildFromTheirOptionsAndFitAFixedBatch) {
  // The harmonic CNN at hop 32 (its 288 frames from 9,216 samples); it is rebuilt and cloned but not fitted: its
  // 128 x 288 maps cost seconds per step on 2 cores, and the twin test checks every gradient of it (Q's included).
  const std::vector<std::string> reduced = {
      "model: {kind: sample_cnn, n_samples: 729, conv_channels: [8, 8, 8, 16, 16, 16, 16], dropout: 0}",
      "model: {kind: sample_cnn_se, n_samples: 729, conv_channels: [8, 8, 8, 16, 16, 16, 16], dropout: 0}",
      "model: {kind: harmonic_cnn, n_samples: 9216, hop_length: 32, channels: 4, dropout: 0}",
  };
  at::set_num_threads(1);  // tiny tensors: threads only add synchronisation (10x slower on 2 busy cores)
  for (const auto& yaml : reduced) {
    SCOPED_TRACE(yaml);
    const ModelConfig config = read(yaml);
    torch::manual_seed(5);
    const TaggingModel model = config.build(4);
    const TaggingModel rebuilt = make_model(model->kind(), model->options_json());
    EXPECT_EQ(state_names(*rebuilt), state_names(*model));
    const auto copy = std::dynamic_pointer_cast<TaggingModelImpl>(model->clone());
    ASSERT_NE(copy, nullptr);
    const auto x = torch::randn(model->input_shape(model->kind() == "harmonic_cnn" ? 2 : 6)) * 0.1;
    const auto y = (torch::rand({x.size(0), 4}) > 0.5).to(torch::kFloat);
    model->eval();
    copy->eval();
    {
      torch::NoGradGuard no_grad;
      EXPECT_TRUE(torch::equal(model->forward(x), copy->forward(x)));
    }
    if (model->kind() == "harmonic_cnn") continue;
    // Real gradients through every layer: 30 Adam steps on one batch must cut the loss by at least half.
    torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-2));
    model->train();
    double first = 0.0, last = 0.0;
    for (int step = 0; step < 30; ++step) {
      adam.zero_grad();
      const auto loss = torch::nn::functional::binary_cross_entropy_with_logits(model->forward(x), y);
      loss.backward();
      adam.step();
      (step == 0 ? first : last) = loss.item<double>();
    }
    EXPECT_LT(last, 0.5 * first) << "loss " << first << " -> " << last;
  }
}

TEST(WaveformModels, EveryBatchNormGoesThroughTheSyncBatchNormHook) {
  for (const std::string yaml :
       {"model: {kind: sample_cnn, n_samples: 243, conv_channels: [4, 4, 4, 4, 4, 4]}",
        "model: {kind: sample_cnn_se, n_samples: 243, conv_channels: [4, 4, 4, 8, 8, 8]}",
        "model: {kind: harmonic_cnn, n_samples: 9216, hop_length: 32, channels: 2}",
        "model: {kind: short_chunk_cnn, frontend: logmel, n_mels: 32, n_frames: 16, conv_channels: [4, 4]}"}) {
    SCOPED_TRACE(yaml);
    const TaggingModel model = read(yaml).build(3);
    int64_t batch_norms = 0;
    for (const auto& module : model->modules(/*include_self=*/false))
      if (module->as<torch::nn::BatchNorm1d>() || module->as<torch::nn::BatchNorm2d>()) ++batch_norms;
    int64_t calls = 0;
    model->batch_norm_override = [&calls](const torch::Tensor& x, const BatchNormState& state) {
      ++calls;
      return torch::batch_norm(x, state.weight, state.bias, state.running_mean, state.running_var, true, state.momentum,
                               state.eps, false);
    };
    model->train();
    model->forward(torch::randn(model->input_shape(2)));
    EXPECT_GT(batch_norms, 0);
    EXPECT_EQ(calls, batch_norms);
    calls = 0;
    model->eval();
    model->forward(torch::randn(model->input_shape(2)));
    EXPECT_EQ(calls, 0);
  }
}

TEST(WaveformModels, ConfigErrorsNameTheKey) {
  auto message = config_error_of("model: {kind: sample_cnn, n_samples: 20000}");
  EXPECT_NE(message.find("zoo.yaml: model.n_samples"), std::string::npos) << message;
  EXPECT_NE(message.find("59047"), std::string::npos) << message;
  message = config_error_of("model: {kind: harmonic_cnn, n_samples: 48000}");
  EXPECT_NE(message.find("model.n_samples"), std::string::npos) << message;
  message = config_error_of("model: {kind: harmonic_cnn, n_harmonics: 8}");  // 96 fundamentals < 128
  EXPECT_NE(message.find("model.n_harmonics"), std::string::npos) << message;
  message = config_error_of("model: {kind: sample_cnn, frontend: logmel}");  // a waveform kind has no frontend key
  EXPECT_NE(message.find("frontend"), std::string::npos) << message;
  message = config_error_of("model: {kind: fcn, n_fft: 1024}");  // log-mel keys only with frontend: logmel
  EXPECT_NE(message.find("n_fft"), std::string::npos) << message;
  message = config_error_of("model: {kind: fcn, frontend: logmel, n_samples: 59049}");  // 231 frames, FCN reads 1813
  EXPECT_NE(message.find("model.n_frames"), std::string::npos) << message;
  EXPECT_NE(message.find("set n_frames to 231"), std::string::npos) << message;
  message = config_error_of("model: {kind: short_chunk_cnn, frontend: logmel, fmax: 9000}");  // above 6 kHz
  EXPECT_NE(message.find("model.frontend"), std::string::npos) << message;
  EXPECT_NE(message.find("fmax"), std::string::npos) << message;
  message = config_error_of("model: {kind: short_chunk_cnn, frontend: wave}");
  EXPECT_NE(message.find("model.frontend"), std::string::npos) << message;
}

// Won et al.'s short-chunk CNN reading 59,049 samples at 16 kHz through the device log-mel of its paper frontend.
constexpr const char* kShortChunkOnWaveforms =
    "model: {kind: short_chunk_cnn, frontend: logmel, n_samples: 59049, n_mels: 128, n_frames: 231, "
    "sample_rate: 16000, fmax: 8000, mel_scale: htk, mel_norm: none, pad_mode: reflect, allow_empty_bands: true}";

TEST(FrontendModel, AnyLogMelKindReadsWaveformsThroughTheDeviceFrontend) {
  const ModelConfig config = read(kShortChunkOnWaveforms);
  EXPECT_EQ(config.input(), ModelInput::waveform);
  EXPECT_EQ(config.sample_rate(), 16000);
  EXPECT_EQ(config.min_frames(), 127 * 256);  // the fewest samples giving the 128 frames 7 halvings need
  torch::manual_seed(6);
  const TaggingModel model = config.build(50);
  EXPECT_EQ(model->kind(), "short_chunk_cnn");
  EXPECT_EQ(model->parameter_count(), 3687348);  // the frontend adds no parameter
  EXPECT_EQ(model->input_shape(1), (std::vector<int64_t>{1, 59049}));
  EXPECT_EQ(model->n_mels(), 128);
  EXPECT_EQ(model->n_frames(), 231);
  // State: the stored-frontend model's names plus the frontend's buffers.
  const TaggingModel stored = read("model: {kind: short_chunk_cnn}").build(50);
  auto names = state_names(*stored);
  names.insert("frontend.filterbank");
  EXPECT_EQ(state_names(*model), names);

  // model(waveform) = stored model(frontend(waveform)) with the same weights.
  auto* wrapped = dynamic_cast<FrontendModelImpl*>(model.get());
  ASSERT_NE(wrapped, nullptr);
  {
    torch::NoGradGuard no_grad;
    for (auto& item : stored->named_parameters()) item.value().copy_(model->named_parameters()[item.key()]);
    for (auto& item : stored->named_buffers()) item.value().copy_(model->named_buffers()[item.key()]);
  }
  model->eval();
  stored->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 59049}) * 0.1;
  LogMelFrontend frontend(preprocess::FeatureConfig::from_json({{"sample_rate", 16000},
                                                                {"n_mels", 128},
                                                                {"fmax", 8000.0},
                                                                {"mel_scale", "htk"},
                                                                {"mel_norm", "none"},
                                                                {"pad_mode", "reflect"},
                                                                {"allow_empty_bands", true}}));
  EXPECT_TRUE(torch::allclose(model->forward(x), stored->forward(frontend->forward(x)), 1e-6, 1e-5));
  // eval() and train() reach the wrapped model (dropout and BatchNorm use its own flag).
  model->train();
  EXPECT_TRUE(wrapped->model()->is_training());
  model->eval();
  EXPECT_FALSE(wrapped->model()->is_training());
}

TEST(FrontendModel, OptionsRoundTripAndStoredStaysTheDefault) {
  const TaggingModel model = read(kShortChunkOnWaveforms).build(7);
  const auto options = model->options_json();
  EXPECT_EQ(options.at("frontend"), "logmel");
  EXPECT_EQ(options.at("n_samples"), 59049);
  EXPECT_EQ(options.at("features").at("mel_scale"), "htk");
  const TaggingModel rebuilt = make_model(model->kind(), options);
  EXPECT_EQ(rebuilt->options_json(), options);
  EXPECT_NE(dynamic_cast<FrontendModelImpl*>(rebuilt.get()), nullptr);
  const auto copy = std::dynamic_pointer_cast<TaggingModelImpl>(model->clone());
  EXPECT_EQ(state_names(*copy), state_names(*model));
  // No frontend key: the options (and checkpoints) of every existing config are unchanged.
  const ModelConfig stored = read("model: {kind: short_chunk_cnn, frontend: stored}");
  EXPECT_FALSE(stored.options.contains("frontend"));
  EXPECT_EQ(stored.options, read("model: {kind: short_chunk_cnn}").options);
  EXPECT_EQ(stored.input(), ModelInput::logmel);
  // n_samples 0 = the fewest samples giving n_frames frames.
  const ModelConfig derived = read("model: {kind: fcn, frontend: logmel}");
  EXPECT_EQ(derived.n_samples(), 1812 * 256);
}

}  // namespace
}  // namespace musictag::train
